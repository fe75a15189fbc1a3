/**
 * The password-derived generator g (draft-irtf-cfrg-cpace-21, section 8.1 "Common function for
 * computing generators", Appendix A.2, and section 8.3 for ristretto255). Both parties compute
 * the same g only if they hold the same PRS, CI and sid; a share made on any other generator
 * gives the other side an unrelated K.
 */
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { lvCat, prependLen } from './length-value.ts';
import { DSI, type GroupElement } from './ristretto255-group.ts';

/** RFC 9496 section 4.3.4 element derivation: 64 uniform bytes to a group element. */
const elementDerivation = ristretto255_hasher.deriveToCurve;
if (!elementDerivation) throw new Error('@noble/curves has no ristretto255 element derivation');

/** H.s_in_bytes: SHA-512 compresses 128-byte blocks. */
export const HASH_BLOCK_SIZE = 128;

/**
 * generator_string(DSI, PRS, CI, sid, s_in_bytes) = lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid).
 * The zero padding makes DSI and PRS fill the whole first hash block, so for a short password
 * the amount hashed does not depend on its length, and that first block holds no session input.
 */
export function generatorString(
  dsi: Uint8Array,
  prs: Uint8Array,
  ci: Uint8Array,
  sid: Uint8Array,
  blockSize: number = HASH_BLOCK_SIZE,
): Uint8Array {
  const zeroPadding = Math.max(0, blockSize - 1 - prependLen(prs).length - prependLen(dsi).length);
  return lvCat(dsi, prs, new Uint8Array(zeroPadding), ci, sid);
}

/**
 * G.calculate_generator(H, PRS, CI, sid) for ristretto255 with H = SHA-512:
 * gen_str_hash = SHA-512(generator_string) (2 * field_size_bytes = 64 bytes, all of it), then
 * _g = element_derivation(gen_str_hash), RFC 9496 section 4.3.4 (two Elligator maps, added).
 */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): GroupElement {
  return elementDerivation!(sha512(generatorString(DSI, prs, ci, sid)));
}
