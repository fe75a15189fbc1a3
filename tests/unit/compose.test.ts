import { describe, expect, it } from 'vitest';
import { composeOutgoing } from '../../shared/send/compose.ts';
import { toHex } from '../../shared/msp/index.ts';

describe('send box: what goes on the wire', () => {
  it('text becomes a DATA packet with LENGTH and CRC filled in (the original\'s bytes)', () => {
    const result = composeOutgoing('text', 'Hello MSP');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.kind).toBe('message');
    expect(toHex(result.value.wire)).toBe('AA 55 00 10 01 10 48 65 6C 6C 6F 20 4D 53 50 04');
  });

  it('UTF-8 text is counted in bytes, not characters', () => {
    const result = composeOutgoing('text', 'こんにちは');
    expect(result.ok && result.value.wire.length).toBe(7 + 15);
  });

  it('hex is the payload of a DATA packet, in any usual notation', () => {
    for (const input of ['48 69', '4869', '0x48,0x69', '48:69']) {
      const result = composeOutgoing('hex', input);
      expect(result.ok && toHex(result.value.wire)).toBe('AA 55 00 09 01 10 48 69 B1');
    }
  });

  it('raw is sent exactly as typed, unframed, even when it is a broken packet', () => {
    const result = composeOutgoing('raw', 'AA 55 00 10 01 10 48 65 6C 6C 6F 20 4D 53 50 00');
    expect(result).toMatchObject({ ok: true, value: { kind: 'raw' } });
    expect(result.ok && toHex(result.value.wire)).toBe('AA 55 00 10 01 10 48 65 6C 6C 6F 20 4D 53 50 00');
  });

  it('invalid hex points at the offending character', () => {
    expect(composeOutgoing('hex', 'AA 5G')).toEqual({
      ok: false,
      error: { code: 'MSP_ERR_BAD_HEX', message: '"G" at column 5 is not a hex digit.', position: 4 },
    });
    expect(composeOutgoing('raw', 'AA 5')).toMatchObject({ ok: false, error: { code: 'MSP_ERR_BAD_HEX', position: 3 } });
  });

  it('raw with nothing typed has nothing to send; an empty text message is an empty DATA packet', () => {
    expect(composeOutgoing('raw', '  ')).toMatchObject({ ok: false, error: { code: 'SEND_ERR_EMPTY' } });
    expect(composeOutgoing('text', '')).toMatchObject({ ok: true, value: { kind: 'message' } });
  });

  it('a payload over 65,528 bytes is refused with the limit', () => {
    expect(composeOutgoing('text', 'x'.repeat(65_529))).toMatchObject({
      ok: false,
      error: { code: 'MSP_ERR_PAYLOAD_TOO_LARGE', message: expect.stringContaining('65528') },
    });
  });
});
