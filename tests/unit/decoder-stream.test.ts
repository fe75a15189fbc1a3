import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PACKET_SIZE,
  MAX_PAYLOAD_SIZE,
  MspDecoder,
  checksum,
  encodePacket,
  type DecodeEvent,
  type DecodeHandler,
  type Packet,
} from '../../shared/msp/index.ts';
import { fromHex, hexOf } from '../helpers/vectors.ts';

const RUNS = 1000;

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

/** Feeds `bytes` cut at `cuts` and returns every event, then the ones a flush adds. */
function feed(bytes: Uint8Array, cuts: number[], decoder = new MspDecoder()): DecodeEvent[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const events: DecodeEvent[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    events.push(...decoder.push(bytes.subarray(last, p)));
    last = p;
  }
  return events;
}

/** Input bytes an event accounts for: a packet's, a skipped run's, or those a summary counts. */
const bytesOf = (e: DecodeEvent): number =>
  e.kind === 'packet' ? e.raw.length : e.kind === 'skipped' ? e.length : e.kind === 'suppressed' ? e.bytes : 0;

/** What an event shows of its bytes: all of a packet, a prefix of a reject or skip, nothing for a summary. */
const hexOfEvent = (e: DecodeEvent): string => (e.kind === 'suppressed' ? '' : hexOf(e.raw));

const packetsOf = (events: DecodeEvent[]) =>
  events.flatMap((e) => (e.kind === 'packet' ? [{ ...e.packet, payload: hexOf(e.packet.payload) }] : []));

const asComparable = (packets: Packet[]) => packets.map((p) => ({ ...p, payload: hexOf(p.payload) }));

/** Junk that holds no AA 55, so it can never look like a frame. */
const junkArb = fc.uint8Array({ maxLength: 200 }).map((bytes) => {
  const out = Uint8Array.from(bytes);
  for (let i = 1; i < out.length; i++) if (out[i - 1] === 0xaa && out[i] === 0x55) out[i] = 0x54;
  if (out.length && out[out.length - 1] === 0xaa) out[out.length - 1] = 0xab;
  return out;
});

const packetArb: fc.Arbitrary<Packet> = fc.record({
  version: fc.integer({ min: 0, max: 255 }),
  type: fc.constantFrom(0x10, 0x11, 0x20, 0x00, 0xff),
  payload: fc.uint8Array({ maxLength: 300 }),
});

describe('stream framing', () => {
  const hello = encodePacket({ version: 1, type: 0x10, payload: Buffer.from('Hello MSP') });
  const ack = fromHex('aa55000901114f4b9a');

  it('decodes a packet fed one byte at a time, and only at its last byte', () => {
    const decoder = new MspDecoder();
    for (let i = 0; i < hello.length - 1; i++) expect(decoder.push(hello.subarray(i, i + 1))).toEqual([]);
    const events = decoder.push(hello.subarray(hello.length - 1));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'packet', offset: 0 });
  });

  it('decodes packets merged into one chunk, in order, with their stream offsets', () => {
    const events = new MspDecoder().push(concat([hello, ack, hello]));
    expect(events.map((e) => [e.kind, e.offset])).toEqual([
      ['packet', 0],
      ['packet', hello.length],
      ['packet', hello.length + ack.length],
    ]);
  });

  it('reports junk before a packet as skipped bytes and still decodes the packet', () => {
    const junk = Uint8Array.from([1, 2, 3, 0xaa, 0x00, 0xaa]);
    const events = new MspDecoder().push(concat([junk, hello]));
    expect(events[0]).toMatchObject({ kind: 'skipped', offset: 0, length: junk.length });
    expect(hexOfEvent(events[0])).toBe(hexOf(junk));
    expect(events[1]).toMatchObject({ kind: 'packet', offset: junk.length });
  });

  it('resyncs after a corrupt frame: the next good packet still decodes', () => {
    const bad = Uint8Array.from(hello);
    bad[8] ^= 0x01;
    const events = new MspDecoder().push(concat([bad, hello]));
    expect(events.map((e) => e.kind)).toEqual(['error', 'skipped', 'packet']);
    expect(events[0]).toMatchObject({ code: 'MSP_ERR_BAD_CRC', offset: 0, length: bad.length, expectedCrc: checksum(bad, 6, bad.length - 1) });
    expect(hexOfEvent(events[0])).toBe(hexOf(bad)); // short enough to be its own prefix
    expect(events[1]).toMatchObject({ kind: 'skipped', length: bad.length });
    expect(events[2].offset).toBe(bad.length);
  });

  it('finds a real packet hidden inside a bogus frame that claims a huge LENGTH', () => {
    const bogus = Uint8Array.from([0xaa, 0x55, 0x01, 0x00, 0x01, 0x10]);
    const events = new MspDecoder().push(concat([bogus, hello, new Uint8Array(300)]));
    expect(events.some((e) => e.kind === 'error' && e.code === 'MSP_ERR_BAD_CRC')).toBe(true);
    expect(packetsOf(events)).toHaveLength(1);
  });

  it('rejects a LENGTH under 7 and one over the link limit before buffering for it', () => {
    expect(new MspDecoder().push(fromHex('aa5500060110'))[0]).toMatchObject({ kind: 'error', code: 'MSP_ERR_BAD_LENGTH' });
    const small = new MspDecoder({ maxPacketSize: 64 });
    const events = small.push(fromHex('aa55ffff0110'));
    expect(events[0]).toMatchObject({ kind: 'error', code: 'MSP_ERR_TOO_LARGE' });
    expect(small.buffered).toBe(0);
  });

  it('expire() gives up on a half frame and recovers the packet that followed its header', () => {
    const decoder = new MspDecoder();
    const stalled = Uint8Array.from([0xaa, 0x55, 0x10, 0x00, 0x01, 0x10]);
    expect(decoder.push(concat([stalled, hello]))).toEqual([]);
    const events = decoder.expire();
    expect(events[0]).toMatchObject({ kind: 'error', code: 'MSP_ERR_TRUNCATED', offset: 0 });
    expect(packetsOf(events)).toHaveLength(1);
    expect(decoder.buffered).toBe(0);
  });

  it('decodes the largest packet (65535 bytes) split across many chunks', () => {
    const payload = new Uint8Array(MAX_PAYLOAD_SIZE).fill(0x79);
    const big = encodePacket({ version: 1, type: 0x10, payload });
    expect(big.length).toBe(MAX_PACKET_SIZE);
    const cuts = Array.from({ length: 2000 }, (_, i) => i * 33);
    const packets = packetsOf(feed(big, cuts));
    expect(packets).toHaveLength(1);
    expect(packets[0].payload.length).toBe(MAX_PAYLOAD_SIZE * 2);
  });

  it('handles 1 MB of junk then 100 packets in one chunk without holding the junk', () => {
    const junk = new Uint8Array(1 << 20).fill(0x11);
    const decoder = new MspDecoder();
    const events = decoder.push(concat([junk, ...Array.from({ length: 100 }, () => hello)]));
    expect(packetsOf(events)).toHaveLength(100);
    expect(decoder.buffered).toBe(0);
  });
});

describe('decoder properties (fast-check)', () => {
  it('round trip: any packets encode and decode back to themselves', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { maxLength: 8 }), (packets) => {
        const bytes = concat(packets.map(encodePacket));
        const events = new MspDecoder().push(bytes);
        expect(events.every((e) => e.kind === 'packet')).toBe(true);
        expect(packetsOf(events)).toEqual(asComparable(packets));
        for (const e of events) if (e.kind === 'packet') expect(hexOf(encodePacket(e.packet))).toBe(hexOf(e.raw));
      }),
      { numRuns: RUNS },
    );
  });

  it('every split point: any chunking yields the same packets', () => {
    fc.assert(
      fc.property(
        fc.array(packetArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 20 }),
        (packets, cuts) => {
          const bytes = concat(packets.map(encodePacket));
          expect(packetsOf(feed(bytes, cuts))).toEqual(asComparable(packets));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('junk prefix and junk between packets: packets survive, junk is reported byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(junkArb, packetArb), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat({ max: 3000 }), { maxLength: 10 }),
        (pieces, cuts) => {
          const bytes = concat(pieces.flatMap(([junk, p]) => [junk, encodePacket(p)]));
          const events = feed(bytes, cuts);
          expect(packetsOf(events)).toEqual(asComparable(pieces.map(([, p]) => p)));
          const skipped = events.filter((e) => e.kind !== 'packet').reduce((n, e) => n + bytesOf(e), 0);
          expect(skipped).toBe(pieces.reduce((n, [junk]) => n + junk.length, 0));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary bytes, accounts for every byte, and holds at most one packet', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 20 }),
        fc.integer({ min: 7, max: MAX_PACKET_SIZE }),
        (chunks, maxPacketSize) => {
          const decoder = new MspDecoder({ maxPacketSize });
          let total = 0;
          let accounted = 0;
          const count = (events: DecodeEvent[]) => {
            for (const e of events) if (e.kind !== 'error') {
              expect(e.offset).toBe(accounted);
              accounted += bytesOf(e);
            }
          };
          for (const chunk of chunks) {
            total += chunk.length;
            count(decoder.push(chunk));
            expect(decoder.buffered).toBeLessThanOrEqual(maxPacketSize);
            // Bytes neither reported nor held are counted for a later `suppressed` summary.
            expect(accounted + decoder.buffered).toBeLessThanOrEqual(total);
          }
          count(decoder.flush());
          expect(accounted).toBe(total);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a packet after a corrupted one is always recovered', () => {
    fc.assert(
      fc.property(packetArb, packetArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (a, b, at, flip) => {
        const bad = Uint8Array.from(encodePacket(a));
        bad[2 + (at % (bad.length - 2))] ^= flip; // corrupt anything after SYNC
        // A corrupted LENGTH may claim more bytes than will ever come: the frame timeout (flush) ends the wait.
        const decoder = new MspDecoder();
        const events = [...decoder.push(concat([bad, encodePacket(b)])), ...decoder.flush()];
        // Rarely the corruption yields a valid frame that runs into b (a LENGTH one higher whose
        // CRC happens to match): then b's SYNC is inside that packet and nothing can recover b.
        const swallowsB = events.some((e) => e.kind === 'packet' && e.offset < bad.length && e.offset + e.raw.length > bad.length);
        fc.pre(!swallowsB);
        const decoded = packetsOf(events);
        expect(decoded.at(-1)).toEqual(asComparable([b])[0]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('pushTo (the allocation-free way a busy server decodes)', () => {
  /** Feeds like `feed`, but through a DecodeHandler, copying what it needs during each call. */
  function feedTo(bytes: Uint8Array, cuts: number[]): Array<{ kind: string; offset: number; hex: string }> {
    const decoder = new MspDecoder();
    const seen: Array<{ kind: string; offset: number; hex: string }> = [];
    const handler: DecodeHandler = {
      packet: (chunk, start, length, offset) =>
        seen.push({ kind: 'packet', offset, hex: hexOf(chunk.subarray(start, start + length)) }),
      other: (event) => seen.push({ kind: event.kind, offset: event.offset, hex: hexOfEvent(event) }),
    };
    const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
    let last = 0;
    for (const p of [...points, bytes.length]) {
      decoder.pushTo(bytes.subarray(last, p), handler);
      last = p;
    }
    return seen;
  }

  it('reports exactly what push reports, in the same order, whatever the chunking and junk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(junkArb, packetArb, fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat({ max: 3000 }), { maxLength: 12 }),
        (pieces, cuts) => {
          // Some packets get a wrong CRC, so error events are part of the comparison too.
          const bytes = concat(
            pieces.flatMap(([junk, p, corrupt]) => {
              const raw = Uint8Array.from(encodePacket(p));
              if (corrupt) raw[raw.length - 1] ^= 0x01;
              return [junk, raw];
            }),
          );
          const viaPush = feed(bytes, cuts).map((e) => ({ kind: e.kind, offset: e.offset, hex: hexOfEvent(e) }));
          expect(feedTo(bytes, cuts)).toEqual(viaPush);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
