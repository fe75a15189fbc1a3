/**
 * The conformance suite: what `msp --mode conform` sends to another MSP implementation's
 * server or responder, and what a conforming peer answers (../shared/spec/MSP.md and
 * docs/PROTOCOL.md). Each case says what it sends, what it expects, and, when a peer fails
 * it, what that usually means: most failures of a peer written like the original msp.py
 * are its known limits (one packet per read, no reassembly, no resync), named here.
 */
import {
  MAX_PAYLOAD_SIZE,
  PacketType,
  VERSION_PLAIN,
  encodePacket,
  packetTypeName,
  toHex,
  utf8DecodeStrict,
  utf8Encode,
  type Packet,
} from '../../../shared/msp/index.ts';
import type { Probe, ProbeMark } from './probe.ts';
import { concatBytes } from '../../../shared/bytes.ts';

export interface ConformSettings {
  /** How long a reply may take (ms), plus the time the bytes take on the line. */
  replyTimeoutMs: number;
  /** How long silence must last to count as "no answer" (ms). */
  quietMs: number;
  /** Pause between the two writes of a split frame, so they reach the peer as two reads (ms). */
  splitGapMs: number;
  /** Connections opened at once by the many-connections case. */
  connections: number;
}

/** How the suite reaches the peer: a fresh TCP connection per case, or the one serial port for all. */
export interface ConformWire {
  kind: 'tcp' | 'serial';
  /** "127.0.0.1:9009" or "/dev/ttyUSB0". */
  peer: string;
  /** A connection to the peer (the same port again on serial), or why there is none. */
  open(): Promise<{ ok: true; probe: Probe } | { ok: false; message: string }>;
  /** Done with a probe: a TCP connection is closed, a serial port stays open for the next case. */
  release(probe: Probe): void;
  /** How long `bytes` take on the line (ms): 0 on TCP, baud-bound on serial. */
  transmitMs(bytes: number): number;
  /** The largest packet the line may carry (a serial `--max-packet`). */
  maxPacketSize: number;
}

/** What running a case gave: passed or not, what came back, and the bytes both ways. */
export interface Verdict {
  passed: boolean;
  got: string;
  /** Each write, in order. */
  sent: Uint8Array[];
  received: Uint8Array;
}

export interface CaseContext {
  wire: ConformWire;
  settings: ConformSettings;
  /** Opens a connection the runner closes when the case ends, however it ends. */
  open(): Promise<Probe>;
}

export interface ConformCase {
  id: string;
  /** What is sent, in a few words. */
  title: string;
  /** What a conforming peer does. */
  expected: string;
  /** What failing this case usually means (the original's known behaviour, when it is that). */
  deviation: string;
  /** Why the case does not apply to this wire, if it does not. */
  notApplicable?(wire: ConformWire): string | undefined;
  run(context: CaseContext): Promise<Verdict>;
}

/** A connection the suite could not open: the case fails with this message. */
export class OpenFailed extends Error {}

const ACK_TEXT = 'OK';

const data = (payload: Uint8Array | string, version = VERSION_PLAIN, type: number = PacketType.DATA): Uint8Array =>
  encodePacket({ version, type, payload: typeof payload === 'string' ? utf8Encode(payload) : payload });

const isAck = (packet: Packet): boolean => packet.type === PacketType.ACK && utf8DecodeStrict(packet.payload) === ACK_TEXT;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "ACK "OK" (VERSION 1)" or "TYPE 0x14 (UNSUPPORTED), payload 7E 01": a packet as the report shows it. */
export function describePacket(packet: Packet): string {
  if (isAck(packet)) return `ACK "OK" (VERSION ${packet.version})`;
  const payload = packet.payload.length === 0 ? 'empty payload' : `payload ${shortHex(packet.payload, 16)}`;
  return `TYPE 0x${packet.type.toString(16).toUpperCase().padStart(2, '0')} (${packetTypeName(packet.type)}), VERSION ${packet.version}, ${payload}`;
}

/** At most `max` bytes as hex, with how many there were when cut. */
export function shortHex(bytes: Uint8Array, max: number): string {
  return bytes.length <= max ? toHex(bytes) : `${toHex(bytes.subarray(0, max))} … (${bytes.length} bytes)`;
}

/** What came back since `mark`, in words. */
function describeReplies(probe: Probe, mark: ProbeMark): string {
  const packets = probe.packetsSince(mark);
  const bytes = probe.bytesSince(mark).length;
  const parts: string[] = [];
  const acks = packets.filter(isAck).length;
  if (acks > 0) parts.push(acks === 1 ? '1 ACK' : `${acks} ACKs`);
  for (const packet of packets.filter((p) => !isAck(p)).slice(0, 4)) parts.push(describePacket(packet));
  const inPackets = packets.reduce((sum, p) => sum + p.payload.length + 7, 0);
  if (bytes > inPackets) parts.push(`${bytes - inPackets} bytes that are not MSP packets`);
  let text = parts.length === 0 ? 'no reply' : parts.join(', ');
  if (probe.closed) text += '; the peer closed the connection';
  return text;
}

const acksSince = (probe: Probe, mark: ProbeMark) => probe.packetsSince(mark).filter(isAck).length;


/** Writes each part as its own write (pausing between), then waits for `acks` ACKs. */
async function expectAcks(context: CaseContext, writes: Uint8Array[], acks: number): Promise<Verdict> {
  const probe = await context.open();
  const mark = probe.mark();
  for (let i = 0; i < writes.length; i++) {
    if (i > 0) await sleep(context.settings.splitGapMs);
    await probe.write(writes[i]);
  }
  const waitMs = context.settings.replyTimeoutMs + context.wire.transmitMs(concatBytes(...writes).length);
  await probe.waitUntil(() => acksSince(probe, mark) >= acks, waitMs);
  // A peer that ACKs more than asked is wrong too: give extra replies a moment to show.
  if (acksSince(probe, mark) >= acks) await probe.waitUntil(() => acksSince(probe, mark) > acks, Math.min(100, context.settings.quietMs));
  const got = acksSince(probe, mark);
  return { passed: got === acks, got: describeReplies(probe, mark), sent: writes, received: probe.bytesSince(mark) };
}

/**
 * Sends something that must not be ACKed, listens for the quiet period, then checks the link
 * still works: a valid DATA on the same connection must get its ACK.
 */
async function expectNoAckThenRecovery(context: CaseContext, bad: Uint8Array, allowAck = false): Promise<Verdict> {
  const probe = await context.open();
  const mark = probe.mark();
  await probe.write(bad);
  await probe.waitUntil(() => probe.closed || (!allowAck && acksSince(probe, mark) > 0), context.settings.quietMs + context.wire.transmitMs(bad.length));
  const afterBad = acksSince(probe, mark);
  const gotBad = describeReplies(probe, mark);
  if ((!allowAck && afterBad > 0) || probe.closed) {
    return { passed: false, got: `to the first packet: ${gotBad}`, sent: [bad], received: probe.bytesSince(mark) };
  }
  const next = data('after');
  const nextMark = probe.mark();
  await probe.write(next);
  await probe.waitUntil(() => acksSince(probe, nextMark) >= 1, context.settings.replyTimeoutMs + context.wire.transmitMs(next.length));
  const recovered = acksSince(probe, nextMark) === 1;
  return {
    passed: recovered,
    got: `to the first packet: ${gotBad}; to DATA "after": ${describeReplies(probe, nextMark)}`,
    sent: [bad, next],
    received: probe.bytesSince(mark),
  };
}

const ONE_PACKET_PER_READ =
  'The peer treats each read as exactly one packet, with no stream reassembly, as the original msp.py does (recv(1024) = one packet).';

function payloadCase(size: number): ConformCase {
  return {
    id: `payload-${size}`,
    title: `DATA with a ${size}-byte payload, in one write`,
    expected: 'one ACK',
    deviation:
      size > 1017
        ? `${ONE_PACKET_PER_READ} A ${size + 7}-byte packet does not fit in one 1024-byte read, so it never arrives whole.`
        : 'The peer does not ACK a valid DATA of this size.',
    notApplicable: (wire) =>
      size + 7 > wire.maxPacketSize ? `a ${size + 7}-byte packet is over this line's --max-packet ${wire.maxPacketSize}` : undefined,
    // Printable bytes, so a text-only peer has nothing to object to.
    run: (context) => expectAcks(context, [data(Uint8Array.from({ length: size }, (_, i) => 0x41 + (i % 26)))], 1),
  };
}

/** The classes of position a frame can be split at, and where that is in a frame of `length` bytes with payload `n`. */
const SPLITS: ReadonlyArray<{ id: string; where: string; at: (length: number) => number }> = [
  { id: 'inside-sync', where: 'inside SYNC (after AA)', at: () => 1 },
  { id: 'after-sync', where: 'after SYNC', at: () => 2 },
  { id: 'inside-length', where: 'inside LENGTH', at: () => 3 },
  { id: 'after-header', where: 'after the 6-byte header', at: () => 6 },
  { id: 'inside-payload', where: 'inside the payload', at: (length) => 6 + Math.floor((length - 7) / 2) },
  { id: 'before-crc', where: 'before the CRC', at: (length) => length - 1 },
];

function splitCase(split: (typeof SPLITS)[number]): ConformCase {
  return {
    id: `split-${split.id}`,
    title: `DATA "Split frame" in two writes, split ${split.where}`,
    expected: 'one ACK, once the second part arrived',
    deviation: ONE_PACKET_PER_READ,
    run: (context) => {
      const frame = data('Split frame');
      const at = split.at(frame.length);
      return expectAcks(context, [frame.subarray(0, at), frame.subarray(at)], 1);
    },
  };
}

/** A DATA whose LENGTH says 2 bytes fewer than it has, chosen so no shorter frame's CRC happens to fit. */
function badLengthFrame(): Uint8Array {
  const frame = data('Bad length!');
  const length = frame.length - 2;
  frame[2] = length >> 8;
  frame[3] = length & 0xff;
  return frame;
}

function badCrcFrame(): Uint8Array {
  const frame = data('Bad CRC');
  frame[frame.length - 1] ^= 0xff;
  return frame;
}

export const CONFORM_CASES: readonly ConformCase[] = [
  {
    id: 'valid-data',
    title: 'DATA "Hello MSP" (VERSION 1), in one write',
    expected: 'one ACK: AA 55 00 09 VV 11 4F 4B 9A',
    deviation: 'The peer does not answer a valid DATA with ACK "OK".',
    run: (context) => expectAcks(context, [data('Hello MSP')], 1),
  },
  ...[0, 1, 1024, MAX_PAYLOAD_SIZE].map(payloadCase),
  {
    id: 'utf8',
    title: 'DATA with UTF-8 text beyond ASCII: "Grüße, 世界 ✓"',
    expected: 'one ACK',
    deviation: 'The peer does not ACK multi-byte UTF-8 text.',
    run: (context) => expectAcks(context, [data('Grüße, 世界 ✓')], 1),
  },
  {
    id: 'non-utf8',
    title: 'DATA whose payload is not UTF-8 (FF FE 80 C3 28), then DATA "after"',
    expected: 'an ACK or no answer to the first; the connection still works: "after" is ACKed',
    deviation: 'The peer stops answering after a payload that is not UTF-8 (the original msp.py raises on invalid UTF-8).',
    run: (context) => expectNoAckThenRecovery(context, data(Uint8Array.of(0xff, 0xfe, 0x80, 0xc3, 0x28)), true),
  },
  ...SPLITS.map(splitCase),
  {
    id: 'two-frames',
    title: 'DATA "one" and DATA "two" in a single write',
    expected: 'two ACKs',
    deviation: `${ONE_PACKET_PER_READ} Two packets in one read are rejected together (Invalid length).`,
    run: (context) => expectAcks(context, [concatBytes(data('one'), data('two'))], 2),
  },
  {
    id: 'junk-before',
    title: 'six junk bytes (00 13 37 AA 00 FF), then DATA "after junk", in one write',
    expected: 'one ACK: the junk is skipped and the frame found by its SYNC',
    deviation: 'The peer does not resync on SYNC: junk in front of a packet in the same read makes it reject the packet (msp.py: Invalid SYNC).',
    run: (context) => expectAcks(context, [concatBytes(Uint8Array.of(0x00, 0x13, 0x37, 0xaa, 0x00, 0xff), data('after junk'))], 1),
  },
  {
    id: 'bad-crc',
    title: 'DATA "Bad CRC" with a wrong CRC, then DATA "after"',
    expected: 'no answer to the bad packet; "after" is ACKed',
    deviation: 'The peer ACKs a packet whose CRC is wrong, or stops answering after one.',
    run: (context) => expectNoAckThenRecovery(context, badCrcFrame()),
  },
  {
    id: 'bad-length',
    title: 'DATA "Bad length!" whose LENGTH is 2 short, then DATA "after"',
    expected: 'no answer to the bad packet; "after" is ACKed',
    deviation: 'The peer ACKs a packet whose LENGTH is wrong, or stops answering after one.',
    run: (context) => expectNoAckThenRecovery(context, badLengthFrame()),
  },
  {
    id: 'unknown-version',
    title: 'DATA "version 9" with VERSION 0x09',
    expected: 'one ACK (msp.py does not check VERSION)',
    deviation: 'The peer refuses a VERSION it does not know; the original msp.py ACKs DATA of any VERSION.',
    run: (context) => expectAcks(context, [data('version 9', 0x09)], 1),
  },
  {
    id: 'unknown-type',
    title: 'a packet of TYPE 0xEE (unknown), then DATA "after"',
    expected: 'no ACK to it (the original answers only DATA and ENCRYPTED_DATA); "after" is ACKed',
    deviation: 'The peer ACKs a TYPE that is not DATA, or stops answering after one.',
    run: (context) => expectNoAckThenRecovery(context, data('?', VERSION_PLAIN, 0xee)),
  },
  {
    id: 'half-frame',
    title: 'the first half of DATA "Half a frame", then silence; then DATA on a new connection',
    expected: 'no answer to the half frame; the peer still serves a new connection',
    deviation: 'The peer answers half a frame, or stops serving others while one connection is stuck mid-frame.',
    run: async (context) => {
      const frame = data('Half a frame');
      const half = frame.subarray(0, frame.length >> 1);
      const stuck = await context.open();
      const mark = stuck.mark();
      await stuck.write(half);
      await stuck.waitUntil(() => stuck.packetsSince(mark).length > 0, context.settings.quietMs);
      const answeredHalf = stuck.packetsSince(mark).length > 0;
      const gotHalf = describeReplies(stuck, mark);
      if (answeredHalf || context.wire.kind === 'serial') {
        // On a serial line there is no second connection: silence is all there is to check.
        return { passed: !answeredHalf, got: `to the half frame: ${gotHalf}`, sent: [half], received: stuck.bytesSince(mark) };
      }
      const other = await expectAcks(context, [data('other connection')], 1);
      return {
        passed: other.passed,
        got: `to the half frame: ${gotHalf}; on a new connection: ${other.got}`,
        sent: [half, ...other.sent],
        received: concatBytes(stuck.bytesSince(mark), other.received),
      };
    },
  },
  {
    id: 'many-connections',
    title: 'many connections at once, each sending one DATA',
    expected: 'every connection gets its ACK',
    deviation: 'The peer does not serve many clients at once (it refuses, drops or never answers some).',
    notApplicable: (wire) => (wire.kind === 'serial' ? 'a serial line is one connection' : undefined),
    run: async (context) => {
      const n = context.settings.connections;
      const results = await Promise.all(Array.from({ length: n }, (_, i) => expectAcks(context, [data(`connection ${i + 1}`)], 1).catch((e: Error) => e)));
      const failed = results.filter((r) => r instanceof Error || !r.passed);
      const first = failed[0];
      const why = first === undefined ? '' : first instanceof Error ? `; first failure: ${first.message}` : `; first failure got: ${first.got}`;
      return {
        passed: failed.length === 0,
        got: `${n - failed.length} of ${n} connections ACKed${why}`,
        sent: [data('connection 1')],
        received: results.find((r): r is Verdict => !(r instanceof Error))?.received ?? new Uint8Array(0),
      };
    },
  },
];
