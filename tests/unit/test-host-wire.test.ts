import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../e2e/host/wire.ts';

describe('test host WebSocket messages', () => {
  it('carry byte arrays intact, Node Buffers included', () => {
    const message = { event: 'packet.traffic', payload: [{ raw: Buffer.from([0xaa, 0x55, 0x00]), plain: Uint8Array.of(1, 2), n: 3 }] };
    const decoded = decodeMessage<{ payload: Array<{ raw: Uint8Array; plain: Uint8Array; n: number }> }>(encodeMessage(message));
    expect(decoded.payload[0].raw).toBeInstanceOf(Uint8Array);
    expect([...decoded.payload[0].raw]).toEqual([0xaa, 0x55, 0x00]);
    expect([...decoded.payload[0].plain]).toEqual([1, 2]);
    expect(decoded.payload[0].n).toBe(3);
  });
});
