/**
 * The checksums only X/Y/ZMODEM use, table-driven: CRC-16/XMODEM (poly 0x1021, init 0, not
 * reflected: XMODEM-CRC, YMODEM, ZMODEM 16-bit frames) and XMODEM's 8-bit sum. Their CRC-32
 * (ZMODEM 32-bit frames) is the one MSP file transfer uses too: shared/checksums/crc32.ts.
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

/** XMODEM's original checksum: the sum of the data bytes, modulo 256. */
export function checksum8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i]!;
  return sum & 0xff;
}
