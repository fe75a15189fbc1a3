/**
 * The two checksums X/Y/ZMODEM use, table-driven:
 * CRC-16/XMODEM (poly 0x1021, init 0, not reflected: XMODEM-CRC, YMODEM, ZMODEM 16-bit frames)
 * and CRC-32 (IEEE 802.3, reflected, as in zip and ZMODEM 32-bit frames).
 */

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

const CRC32_TABLE = (() => {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    table[i] = crc;
  }
  return table;
})();

/** CRC-16/XMODEM of bytes[start, end), continuing from `crc` (0 to start). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  const table = CRC16_TABLE;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xff00) ^ table[((crc >>> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** Feeds one more byte into a running CRC-16. */
export function crc16Byte(crc: number, byte: number): number {
  return ((crc << 8) & 0xff00) ^ CRC16_TABLE[((crc >>> 8) ^ byte) & 0xff]!;
}

/**
 * CRC-32 in its running form: start with CRC32_START, update, and finish with crc32Final.
 * crc32(bytes) does all three.
 */
export const CRC32_START = 0xffffffff;

export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  const table = CRC32_TABLE;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ table[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

export function crc32Byte(crc: number, byte: number): number {
  return (crc >>> 8) ^ CRC32_TABLE[(crc ^ byte) & 0xff]!;
}

export function crc32Final(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  return crc32Final(crc32Update(CRC32_START, bytes));
}

/** XMODEM's original checksum: the sum of the data bytes, modulo 256. */
export function checksum8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i]!;
  return sum & 0xff;
}
