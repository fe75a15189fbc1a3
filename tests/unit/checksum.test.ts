/** The MSP CRC (sum of the payload mod 256): the word-at-a-time path must equal a plain byte sum. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checksum } from '../../shared/msp/crc.ts';

const byteSum = (bytes: Uint8Array, start: number, end: number): number => {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i];
  return sum & 0xff;
};

describe('checksum', () => {
  it('equals a plain byte sum for any bytes, alignment and span', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 5000 }), fc.nat(7), fc.nat(), fc.nat(), (data, shift, a, b) => {
        // A view that starts at any byte offset of its buffer, as a packet inside a read does.
        const buffer = new Uint8Array(data.length + shift);
        buffer.set(data, shift);
        const view = buffer.subarray(shift);
        const start = data.length === 0 ? 0 : a % data.length;
        const end = start + (data.length === 0 ? 0 : b % (data.length - start + 1));
        expect(checksum(view, start, end)).toBe(byteSum(view, start, end));
        expect(checksum(view)).toBe(byteSum(view, 0, view.length));
      }),
      { numRuns: 300 },
    );
  });

  it('does not overflow on the largest payload of 0xFF bytes', () => {
    for (const shift of [0, 1, 2, 3]) {
      const buffer = new Uint8Array(65535 + shift).fill(0xff);
      const view = buffer.subarray(shift);
      expect(checksum(view)).toBe(byteSum(view, 0, view.length));
    }
  });
});
