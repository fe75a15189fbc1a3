/**
 * CPace's length-value encoding (draft-irtf-cfrg-cpace-21, section 6.3 "Notation for string
 * operations" and Appendix A.1): every variable-length input is hashed with its length in
 * front, so no two different input lists give the same byte string (a prefix-free encoding,
 * section 10.2 "Hashing protocol transcripts").
 */

import { concatBytes } from '../../../../../shared/bytes.ts';

/** Concatenation of byte strings (the draft's `||`). */
export { concatBytes };

/** LEB128: 7 bits per byte, least significant first, bit 7 set while more bytes follow. */
function leb128(length: number): Uint8Array {
  const out: number[] = [];
  let rest = length;
  do {
    const low = rest & 0x7f;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return Uint8Array.from(out);
}

/** prepend_len(data): LEB128(len(data)) || data (Appendix A.1.1). */
export function prependLen(data: Uint8Array): Uint8Array {
  return concatBytes(leb128(data.length), data);
}

/** lv_cat(a0, a1, ...): prepend_len(a0) || prepend_len(a1) || ... (Appendix A.1.3). */
export function lvCat(...items: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...items.map(prependLen));
}
