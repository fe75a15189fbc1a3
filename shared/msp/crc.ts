/** Spans shorter than this are summed byte by byte: making the word view costs more than it saves. */
const WORD_SUM_MIN = 256;

/**
 * The MSP CRC: the sum of the payload bytes as sent on the wire, mod 256. Long spans (a file
 * chunk: 64 KiB per packet) are summed four bytes at a time, about 3.5 times faster: each
 * 32-bit word is split into two pairs of bytes in 16-bit lanes (masks 0x00ff00ff), and the lanes
 * are folded into the sum every 64 words, before they could carry into each other.
 */
export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  let i = start;
  if (end - i >= WORD_SUM_MIN) {
    // Byte by byte up to a 4-byte boundary of the underlying buffer (a word view needs it).
    for (; ((bytes.byteOffset + i) & 3) !== 0; i++) sum += bytes[i];
    const words = (end - i) >> 2;
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let k = 0; k < words; ) {
      const stop = Math.min(words, k + 64);
      let lanes = 0; // at most 64 * 2 * 255 per lane: below 2^16, and the whole below 2^31
      for (; k < stop; k++) {
        const word = view[k];
        lanes += (word & 0x00ff00ff) + ((word >>> 8) & 0x00ff00ff);
      }
      sum += (lanes & 0xffff) + (lanes >>> 16);
    }
    i += words * 4;
  }
  for (; i < end; i++) sum += bytes[i];
  return sum & 0xff;
}
