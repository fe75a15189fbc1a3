import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DETAILED_REJECTS,
  MAX_PACKET_SIZE,
  REJECT_PREFIX_BYTES,
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

  it('big frames split across chunks: valid ones summed directly, a bad one switches to running sums, the same packets in any cuts', () => {
    // The held-frame path: every frame is bigger than the chunks it comes in, as 64 KiB file chunks over TCP are.
    const big = (fill: number) => encodePacket({ version: 1, type: 0x43, payload: new Uint8Array(MAX_PAYLOAD_SIZE).fill(fill) });
    const corrupt = Uint8Array.from(big(3));
    corrupt.set(hello, 1000); // a real packet hidden inside the bad frame
    corrupt[corrupt.length - 1] ^= 1;
    const stream = concat([big(1), corrupt, big(2), hello, big(4)]);
    const whole = new MspDecoder().push(stream);
    const sizes = packetsOf(whole).map((p) => p.payload.length / 2); // hex
    expect(sizes).toEqual([MAX_PAYLOAD_SIZE, 9, MAX_PAYLOAD_SIZE, 9, MAX_PAYLOAD_SIZE]);
    for (const size of [1000, 4093, 65536, 65537]) {
      const cuts = Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => i * size);
      expect(feed(stream, cuts).map((e) => ({ kind: e.kind, offset: e.offset, hex: hexOfEvent(e) }))).toEqual(
        whole.map((e) => ({ kind: e.kind, offset: e.offset, hex: hexOfEvent(e) })),
      );
    }
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

describe('hostile streams: bounded work, memory and output per byte', () => {
  const attack = (bytes: number) => {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 4) out.set([0xaa, 0x55, 0xff, 0xff].slice(0, bytes - i), i);
    return out;
  };

  /** Pushes `bytes` in chunks whose sizes cycle through `sizes`, then flushes; returns every event. */
  function pushInChunks(decoder: MspDecoder, bytes: Uint8Array, sizes: number[]): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const end = Math.min(bytes.length, at + sizes[k % sizes.length]);
      events.push(...decoder.push(bytes.subarray(at, end)));
      expect(decoder.buffered).toBeLessThanOrEqual(MAX_PACKET_SIZE);
      at = end;
    }
    events.push(...decoder.flush());
    return events;
  }

  it('10 MB of repeated AA 55 FF FF: every byte accounted for, in O(log n) events and output', () => {
    // The old decoder summed and copied a 64 KiB candidate every 4 bytes (about 100 s for this).
    const bytes = attack(10 * 1024 * 1024);
    const decoder = new MspDecoder();
    const events = pushInChunks(decoder, bytes, [1, 2, 3, 5, 7, 64, 1000, 4093, 65536, 65537, 200_000, 13]);
    expect(events.reduce((n, e) => n + bytesOf(e), 0)).toBe(bytes.length);
    expect(decoder.buffered).toBe(0);
    // 8 detailed, then summaries at 4 KiB, 8 KiB, ... 8 MiB, and the rest at the flush.
    expect(events.filter((e) => e.kind !== 'suppressed').length).toBeLessThanOrEqual(8 + 1);
    expect(events.filter((e) => e.kind === 'suppressed').length).toBeLessThanOrEqual(Math.log2(bytes.length / 4096) + 2);
    const frames = events.reduce((n, e) => n + (e.kind === 'suppressed' ? e.frames : e.kind === 'error' ? 1 : 0), 0);
    expect(frames).toBeGreaterThan(bytes.length / 4 - 16); // each candidate was checked and counted
    const printed = JSON.stringify(events.map((e) => ({ ...e, raw: 'raw' in e ? hexOf(e.raw) : undefined }))).length;
    expect(printed).toBeLessThan(16 * 1024);
    expect(decoder.junkBytes).toBe(bytes.length);
  });

  it('one expire() after the junk frees a packet that came behind it (not one expire per 4 bytes)', () => {
    const hello = encodePacket({ version: 1, type: 0x10, payload: Buffer.from('hi') });
    const decoder = new MspDecoder();
    expect(decoder.push(concat([attack(128 * 1024), hello])).some((e) => e.kind === 'packet')).toBe(false);
    expect(decoder.buffered).toBeGreaterThan(60_000); // every AA 55 FF FF near the end still waits for 64 KiB
    const events = decoder.expire();
    expect(packetsOf(events)).toHaveLength(1);
    expect(decoder.buffered).toBe(0);
    expect(events.length).toBeLessThan(20);
  });

  it('rejects carry at most a 32-byte prefix and the length they span', () => {
    const bad = Uint8Array.from(encodePacket({ version: 1, type: 0x10, payload: new Uint8Array(1000).fill(7) }));
    bad[bad.length - 1] ^= 1;
    const [error, skipped] = new MspDecoder().push(concat([bad, new Uint8Array(500).fill(1)]));
    expect(error).toMatchObject({ kind: 'error', code: 'MSP_ERR_BAD_CRC', length: bad.length, offset: 0 });
    expect(skipped).toMatchObject({ kind: 'skipped', length: bad.length + 500, offset: 0 });
    expect(hexOfEvent(error)).toBe(hexOf(bad.subarray(0, REJECT_PREFIX_BYTES)));
    expect(hexOfEvent(skipped)).toBe(hexOf(bad.subarray(0, REJECT_PREFIX_BYTES)));
  });

  it('details rejects again after a valid packet, reporting what it counted just before the packet', () => {
    const hello = encodePacket({ version: 1, type: 0x10, payload: Buffer.from('hi') });
    const bad = fromHex('aa55000601'.repeat(20)); // 20 LENGTHs under 7
    const decoder = new MspDecoder();
    const events = [...decoder.push(concat([bad, hello, bad])), ...decoder.flush()];
    const kinds = events.map((e) => e.kind);
    const packetAt = kinds.indexOf('packet');
    expect(kinds.slice(0, packetAt).filter((k) => k !== 'suppressed')).toHaveLength(DETAILED_REJECTS);
    expect(kinds[packetAt - 1]).toBe('suppressed');
    expect(kinds.slice(packetAt + 1, packetAt + 1 + DETAILED_REJECTS).every((k) => k === 'error' || k === 'skipped')).toBe(true);
    expect(kinds.at(-1)).toBe('suppressed');
    expect(events.reduce((n, e) => n + bytesOf(e), 0)).toBe(bad.length * 2 + hello.length);
  });

  it('junkBytes counts skipped bytes since the last valid packet', () => {
    const hello = encodePacket({ version: 1, type: 0x10, payload: Buffer.from('hi') });
    const decoder = new MspDecoder();
    decoder.push(new Uint8Array(100).fill(1));
    expect(decoder.junkBytes).toBe(100);
    decoder.push(hello);
    expect(decoder.junkBytes).toBe(0);
    decoder.push(concat([new Uint8Array(7).fill(2), fromHex('aa55')]));
    expect(decoder.junkBytes).toBe(7); // the trailing AA 55 may still start a frame
  });

  it('an unfinished 64 KiB frame fed one byte per push is held once: one buffer, at most one packet', () => {
    const frame = attack(4);
    const decoder = new MspDecoder();
    for (const b of frame) decoder.push(Uint8Array.of(b));
    const capacities = new Set<number>();
    for (let i = 4; i < MAX_PACKET_SIZE - 1; i++) {
      expect(decoder.push(Uint8Array.of(i & 0x7f))).toEqual([]);
      capacities.add(decoder.heldCapacity);
    }
    expect(decoder.buffered).toBe(MAX_PACKET_SIZE - 1);
    // Doubling growth, so few buffers over the frame's life, and never more than 1.5 packets and
    // a batch (4 KiB): a spare buffer another frame used may be that big.
    expect(Math.max(...capacities)).toBeLessThanOrEqual(MAX_PACKET_SIZE * 1.5 + 4096);
    expect(capacities.size).toBeLessThanOrEqual(12);
    const events = decoder.push(Uint8Array.of(0));
    expect(events[0]).toMatchObject({ kind: 'error', code: 'MSP_ERR_BAD_CRC', length: MAX_PACKET_SIZE });
  });

  it('random bytes in random chunks: bounded held bytes, every byte accounted for, few events', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200_000 }), fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 }), (bytes, sizes) => {
        const events = pushInChunks(new MspDecoder(), bytes, sizes);
        expect(events.reduce((n, e) => n + bytesOf(e), 0)).toBe(bytes.length);
        const packets = events.filter((e) => e.kind === 'packet').length;
        // Each valid packet can restart the detailed reports; otherwise O(log n) events.
        expect(events.length).toBeLessThanOrEqual((packets + 1) * (2 * DETAILED_REJECTS + 2) + Math.log2(bytes.length + 1) + 2);
      }),
      { numRuns: 30 },
    );
  });
});
