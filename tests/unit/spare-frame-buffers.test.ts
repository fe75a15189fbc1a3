import { describe, expect, it } from 'vitest';
import { giveSpareFrameBuffer, takeSpareFrameBuffer } from '../../shared/msp/spare-frame-buffers.ts';
import { MspDecoder } from '../../shared/msp/decoder.ts';
import { encodePacket } from '../../shared/msp/encode.ts';

describe('spare frame buffers', () => {
  it('keeps a few buffers, whatever is given back, and hands out only ones within the asked bounds', () => {
    while (takeSpareFrameBuffer(0, Infinity)) {} // empty what other tests in this worker left
    for (let i = 0; i < 100; i++) giveSpareFrameBuffer(new Uint8Array(1000 + i));
    let kept = 0;
    while (takeSpareFrameBuffer(0, Infinity)) kept++;
    expect(kept).toBeLessThanOrEqual(8);
    giveSpareFrameBuffer(new Uint8Array(50_000));
    expect(takeSpareFrameBuffer(60_000, 100_000)).toBeUndefined(); // too small
    expect(takeSpareFrameBuffer(10_000, 40_000)).toBeUndefined(); // above that decoder's bound
    expect(takeSpareFrameBuffer(40_000, 60_000)?.length).toBe(50_000);
    expect(takeSpareFrameBuffer(0, Infinity)).toBeUndefined(); // taken once only
  });

  it('two decoders taking turns with split 64 KiB frames each get their own packets, byte for byte', () => {
    const decoders = [new MspDecoder(), new MspDecoder()];
    for (let round = 0; round < 20; round++) {
      for (const [which, decoder] of decoders.entries()) {
        const payload = new Uint8Array(60_000).fill(round * 2 + which);
        const frame = encodePacket({ version: 2, type: 0x43, payload });
        expect(decoder.push(frame.subarray(0, 30_000))).toEqual([]);
        const events = decoder.push(frame.subarray(30_000));
        expect(events).toHaveLength(1);
        const event = events[0];
        expect(event.kind === 'packet' && event.packet.payload.every((b) => b === round * 2 + which)).toBe(true);
      }
    }
  });
});
