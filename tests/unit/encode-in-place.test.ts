/** A payload made with room for its frame is encoded in place: the same bytes as a copy, no new buffer. */
import { describe, expect, it } from 'vitest';
import { MIN_PACKET_SIZE, MspDecoder, encodePacket, payloadWithFrameRoom } from '../../shared/msp/index.ts';

describe('payloadWithFrameRoom', () => {
  it('encodes to the same bytes as an ordinary payload, inside the given buffer', () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    const buffer = new Uint8Array(data.length + MIN_PACKET_SIZE);
    const payload = payloadWithFrameRoom(buffer, data.length);
    payload.set(data);
    const inPlace = encodePacket({ version: 1, type: 0x43, payload });
    expect(inPlace.buffer).toBe(buffer.buffer);
    expect(Buffer.from(inPlace).equals(Buffer.from(encodePacket({ version: 1, type: 0x43, payload: data })))).toBe(true);
    const [event] = new MspDecoder().push(inPlace);
    expect(event.kind === 'packet' && Buffer.from(event.packet.payload).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses a buffer without room for the frame', () => {
    expect(() => payloadWithFrameRoom(new Uint8Array(10), 4)).toThrow(RangeError);
  });
});
