/**
 * CRC-32 (IEEE 802.3, reflected, as in zip, PNG and ZMODEM's 32-bit frames), the one
 * implementation for MSP file transfer's chunks and X/Y/ZMODEM. shared/ code cannot use
 * node:zlib, so it is table-driven JavaScript, eight bytes per step ("slicing by 8") where a
 * run is long: chunks of megabytes go through it on every MSP transfer.
 *
 * Running form: start with CRC32_START, crc32Update (or crc32Byte) as bytes come, then
 * crc32Final. crc32(bytes) does all three.
 */

const TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    t[i] = crc;
  }
  // Table k: the CRC of a byte followed by k zero bytes.
  for (let i = 0; i < 256; i++) {
    for (let k = 1; k < 8; k++) t[k * 256 + i] = (t[(k - 1) * 256 + i]! >>> 8) ^ t[t[(k - 1) * 256 + i]! & 0xff]!;
  }
  return t;
})();

export const CRC32_START = 0xffffffff;

export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES; // a module local for the hot loop (tsx reads imports through getters)
  let i = start;
  crc |= 0;
  for (; i + 8 <= end; i += 8) {
    const a = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const b = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
    crc =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + (b & 0xff)]! ^
      t[512 + ((b >>> 8) & 0xff)]! ^
      t[256 + ((b >>> 16) & 0xff)]! ^
      t[b >>> 24]!;
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** Feeds one more byte into a running CRC-32. */
export function crc32Byte(crc: number, byte: number): number {
  return (crc >>> 8) ^ TABLES[(crc ^ byte) & 0xff]!;
}

export function crc32Final(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32Final(crc32Update(CRC32_START, bytes, start, end));
}
