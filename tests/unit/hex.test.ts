import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from '../../shared/msp/index.ts';

describe('hex text', () => {
  it.each([
    ['AA 55 00 07 01 10 00', 'aa550007011000'],
    ['aa550007011000', 'aa550007011000'],
    ['0xAA,0x55, 0x00', 'aa5500'],
    ['AA:55-00\n07', 'aa550007'],
    ['', ''],
  ])('reads %j', (text, hex) => {
    const result = parseHex(text);
    expect(result.ok && Buffer.from(result.value).toString('hex')).toBe(hex);
  });

  it('points at the first character that is not hex', () => {
    expect(parseHex('AA 5G 00')).toMatchObject({ ok: false, error: { code: 'MSP_ERR_BAD_HEX', position: 4 } });
  });

  it('points at a byte with one digit', () => {
    const result = parseHex('AA 5 00');
    expect(result).toMatchObject({ ok: false, error: { position: 3 } });
    if (!result.ok) expect(result.error.message).toMatch(/one hex digit/);
    expect(parseHex('AA5')).toMatchObject({ ok: false, error: { position: 2 } });
  });

  it('round-trips any bytes through toHex and parseHex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(' ', '', ':'), (bytes, sep) => {
        const back = parseHex(toHex(bytes, sep));
        expect(back.ok && Buffer.from(back.value).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
