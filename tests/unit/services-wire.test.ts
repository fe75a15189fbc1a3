import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SERVICES,
  decodeServicesList,
  decodeUnsupported,
  encodeServicesList,
  encodeUnsupported,
  isServiceType,
  PacketType,
} from '../../shared/msp/index.ts';

describe('service discovery on the wire', () => {
  it('round-trips a list of services', () => {
    const services = [
      { id: 'messaging', version: 1, types: [0x10, 0x11] },
      { id: 'file-transfer', version: 1, types: [0x40, 0x41, 0x42] },
    ];
    expect(decodeServicesList(encodeServicesList(services))).toEqual(services);
    expect(decodeServicesList(encodeServicesList([]))).toEqual([]);
  });

  it('never throws on hostile bytes, and accepts only what a peer could have encoded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = decodeServicesList(bytes);
        if (decoded !== undefined) {
          expect(decoded.length).toBeLessThanOrEqual(MAX_SERVICES);
          expect(encodeServicesList(decoded)).toEqual(bytes);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses truncated, oversized and trailing-garbage lists', () => {
    const good = encodeServicesList([{ id: 'x', version: 1, types: [0x40] }]);
    expect(decodeServicesList(good.subarray(0, good.length - 1))).toBeUndefined();
    expect(decodeServicesList(Uint8Array.of(...good, 0))).toBeUndefined();
    expect(decodeServicesList(Uint8Array.of(MAX_SERVICES + 1))).toBeUndefined();
    expect(decodeServicesList(new Uint8Array())).toBeUndefined();
  });

  it('UNSUPPORTED says which TYPE and why', () => {
    expect(decodeUnsupported(encodeUnsupported(0x41, 1))).toEqual({ type: 0x41, reason: 1 });
    expect(decodeUnsupported(Uint8Array.of(1))).toBeUndefined();
  });

  it('service TYPE ranges stay clear of what the original answers (0x10, 0x20) and of v3 (0x30-0x3F)', () => {
    for (const type of [PacketType.DATA, PacketType.ACK, PacketType.ENCRYPTED_DATA, PacketType.HELLO, PacketType.SEALED_SERVICE, PacketType.ALERT]) {
      expect(isServiceType(type)).toBe(false);
    }
    for (const type of [PacketType.SERVICES_QUERY, PacketType.SERVICES_LIST, PacketType.UNSUPPORTED, 0x40, 0x5f, 0x7f]) expect(isServiceType(type)).toBe(true);
  });
});
