/** The one CRC-32 (shared/checksums/crc32.ts, slicing by 8) against its check value and node:zlib's, whole and in running pieces. */
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRC32_START, crc32, crc32Byte, crc32Final, crc32Update } from '../../shared/checksums/crc32.ts';

describe('crc32', () => {
  it('has the CRC-32/ISO-HDLC check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('equals zlib for any bytes, any sub-range, and fed in any pieces or byte by byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const expected = zlibCrc32(bytes);
        expect(crc32(bytes)).toBe(expected);
        const cut = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        expect(crc32Final(crc32Update(crc32Update(CRC32_START, bytes, 0, cut), bytes, cut))).toBe(expected);
        let byByte = CRC32_START;
        for (const byte of bytes) byByte = crc32Byte(byByte, byte);
        expect(crc32Final(byByte)).toBe(expected);
        const start = bytes.length === 0 ? 0 : b % bytes.length;
        expect(crc32(bytes, start, bytes.length)).toBe(zlibCrc32(bytes.subarray(start)));
      }),
      { numRuns: 500 },
    );
  });

  it('equals zlib on a megabyte', () => {
    const big = new Uint8Array(1 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    expect(crc32(big)).toBe(zlibCrc32(big));
  });
});
