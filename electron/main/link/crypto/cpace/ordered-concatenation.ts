/**
 * Ordered concatenation for the symmetric setting, where neither party speaks first
 * (draft-irtf-cfrg-cpace-21, Appendix A.3.1 and A.3.2): both sides put the larger string first,
 * so both hash the same bytes whatever order the messages crossed in.
 */
import { concatBytes } from './length-value.ts';

const OC_PREFIX = new TextEncoder().encode('oc');

/** lexiographically_larger(a, b): true if a > b byte by byte; on a common prefix, the longer is larger. */
export function lexicographicallyLarger(a: Uint8Array, b: Uint8Array): boolean {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return a.length > b.length;
}

/** o_cat(a, b) = b"oc" || larger || smaller. */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return lexicographicallyLarger(a, b) ? concatBytes(OC_PREFIX, a, b) : concatBytes(OC_PREFIX, b, a);
}
