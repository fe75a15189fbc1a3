/**
 * A capture file to log rows: every TCP stream (both directions reassembled) and every serial
 * interface of our exports is decoded with the same MSP decoder the links use; DATA is paired
 * with its ACK as the log pairs them. Streams with no MSP in them are listed and skipped.
 *
 * Direction: in our own files (shb_userappl "MSP Workbench") every packet says whether we
 * sent it (EPB flags), so rows come back as they were. In anyone else's capture there is no
 * "us": the side that connected (sent the SYN, or else spoke first) is shown as "out", and
 * the peer column names the conversation, "client → server".
 *
 * Bounded: the file is read in one pass; at most MAX_STREAMS streams are followed; each
 * direction holds at most what TcpDirection and MspDecoder hold; a stream that shows no MSP
 * packet within NOT_MSP_AFTER_BYTES stops being decoded (in our own files every stream is MSP). Rows go to `onEvent` as they are
 * found, so a caller that prints or keeps a bounded log never holds them all.
 */
import type { CaptureError } from '../errors/capture.ts';
import type { LogEntry, TrafficEvent } from '../ipc/types.ts';
import { BadFrameFold } from '../msp/bad-frame-fold.ts';
import { MspDecoder, PacketType, type DecodeEvent } from '../msp/index.ts';
import { fail, ok, type Result } from '../result.ts';
import { readCaptureFrames, type CaptureFileInfo, type CapturedFrame } from './capture-file.ts';
import { formatEndpoint, type Endpoint } from './endpoint.ts';
import { Direction, LinkType, OUR_APPLICATION } from './link-types.ts';
import { TcpFlag, tcpSegmentOf } from './packet-layers.ts';
import { TcpDirection } from './tcp-reassembly.ts';

/** Streams followed at once; frames of further streams are only counted. */
export const MAX_STREAMS = 4096;
/** A stream with no valid MSP packet in its first this-many bytes is not MSP. */
export const NOT_MSP_AFTER_BYTES = 64 * 1024;
/** The largest capture file read at once. */
export const MAX_CAPTURE_FILE_BYTES = 256 * 1024 * 1024;

export interface StreamSummary {
  kind: 'tcp' | 'serial';
  /** "client → server" for TCP, the port's path for serial. */
  name: string;
  /** msp: decoded; other: not MSP, skipped; empty: no payload at all. */
  verdict: 'msp' | 'other' | 'empty';
  packets: number;
  /** Payload bytes each way (client/out first). */
  bytes: [number, number];
  retransmittedBytes: number;
  lostBytes: number;
  outOfOrderSegments: number;
}

export interface CaptureSummary {
  info: CaptureFileInfo;
  frames: number;
  /** Frames that are not TCP (or not on a link type we read). */
  otherFrames: number;
  /** Frames of streams beyond MAX_STREAMS. */
  untrackedFrames: number;
  streams: StreamSummary[];
}

type Sender = 0 | 1;

interface StreamState {
  key: string;
  /** The time of the stream's last row (ms), for rows found at its end. */
  lastAt?: number;
  summary: StreamSummary;
  directions: [TcpDirection | undefined, TcpDirection | undefined];
  decoders: [MspDecoder, MspDecoder] | undefined;
  /** Per sender: the skip that repeats a bad frame's bytes is folded into it, as the live log does. */
  folds: [BadFrameFold, BadFrameFold];
  /** For each sender: the row's dir and its peer. */
  rows: [{ dir: 'in' | 'out'; peer: string }, { dir: 'in' | 'out'; peer: string }];
  /** Its place in the summary's list. */
  index: number;
  /** Rows found before the stream proved to be MSP (junk before the first packet): held, then released. */
  held: { event: TrafficEvent; origin: RowOrigin }[];
  /** DATA ids (from the "out" side) waiting for the other side's ACK, in order. */
  waitingForAck: { id: number; at: number }[];
  /** A FIN or RST went by: a SYN on the same ports is a new stream. */
  finished: boolean;
  /** The stream was ended and summed up. */
  finishedAt?: boolean;
}

const DATA_TYPES = new Set<number>([PacketType.DATA, PacketType.ENCRYPTED_DATA, PacketType.SEALED_DATA]);
const ACK_TYPES = new Set<number>([PacketType.ACK, PacketType.SEALED_ACK]);

/** Where a row came from: its stream (an index into CaptureSummary.streams) and which side sent it. */
export interface RowOrigin {
  stream: number;
  /** TCP: the side that connected; serial: what we sent. Replay sends these again. */
  fromClient: boolean;
}

export type ImportListener = (event: TrafficEvent, origin: RowOrigin) => void;

export function importCapture(bytes: Uint8Array, onEvent: ImportListener): Result<CaptureSummary, CaptureError> {
  if (bytes.length > MAX_CAPTURE_FILE_BYTES) {
    return fail({
      code: 'CAPTURE_ERR_TOO_LARGE',
      message: `The capture is ${bytes.length} bytes; at most ${MAX_CAPTURE_FILE_BYTES} are read at once (cut it with editcap or a capture filter).`,
    });
  }
  const importer = new Importer(onEvent);
  const read = readCaptureFrames(
    bytes,
    (frame) => importer.frame(frame),
    (info) => {
      importer.ours = info.application?.startsWith(OUR_APPLICATION) ?? false;
    },
  );
  if (!read.ok) return read;
  return ok(importer.finish(read.value));
}

class Importer {
  /** Our own export (its section header says so): its direction flags are "us". */
  ours = false;
  private readonly streams = new Map<string, StreamState>();
  private readonly order: StreamState[] = [];
  private frames = 0;
  private otherFrames = 0;
  private untrackedFrames = 0;
  private nextId = 1;

  constructor(private readonly onEvent: ImportListener) {}

  frame(frame: CapturedFrame): void {
    this.frames++;
    if (frame.linkType === LinkType.USER0) return this.serial(frame);
    const segment = tcpSegmentOf(frame.linkType, frame.data);
    if (!segment) {
      this.otherFrames++;
      return;
    }
    const a = formatEndpoint(segment.src);
    const b = formatEndpoint(segment.dst);
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    let stream = this.streams.get(key);
    const isSyn = (segment.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    if (stream && isSyn && (stream.finished || stream.summary.bytes[0] + stream.summary.bytes[1] > 0)) {
      // The same addresses and ports again: a new connection.
      this.end(stream);
      stream = undefined;
    }
    if (!stream) {
      if (this.order.length >= MAX_STREAMS) {
        this.untrackedFrames++;
        return;
      }
      // The first segment's sender is the client unless it is a SYN-ACK (the capture began mid-handshake).
      const fromServer = (segment.flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK);
      const client = fromServer ? segment.dst : segment.src;
      const server = fromServer ? segment.src : segment.dst;
      stream = this.newStream(key, 'tcp', `${formatEndpoint(client)} → ${formatEndpoint(server)}`, client, server, frame);
    }
    const sender: Sender = this.senderOf(stream, a);
    const direction = (stream.directions[sender] ??= new TcpDirection((data, atUs) => this.decode(stream!, sender, data, atUs)));
    if (segment.flags & TcpFlag.SYN) direction.syn(segment.seq);
    if (stream.summary.verdict !== 'other') direction.segment(segment.seq, segment.payload, frame.timestampUs);
    stream.summary.bytes[sender] += segment.payload.length;
    if (segment.flags & (TcpFlag.FIN | TcpFlag.RST)) stream.finished = true;
  }

  finish(info: CaptureFileInfo): CaptureSummary {
    for (const stream of this.order) this.end(stream);
    return {
      info,
      frames: this.frames,
      otherFrames: this.otherFrames,
      untrackedFrames: this.untrackedFrames,
      streams: this.order.map((s) => s.summary),
    };
  }

  private serial(frame: CapturedFrame): void {
    const name = frame.interfaceName ?? `interface ${frame.interfaceId}`;
    const key = `serial ${frame.interfaceId} ${name}`;
    let stream = this.streams.get(key);
    if (!stream) {
      if (this.order.length >= MAX_STREAMS) {
        this.untrackedFrames++;
        return;
      }
      stream = this.newStream(key, 'serial', name, undefined, undefined, frame);
    }
    // A serial capture's sides are "what we sent" and "what came in": unknown counts as in.
    const sender: Sender = frame.direction === Direction.OUTBOUND ? 0 : 1;
    stream.summary.bytes[sender] += frame.data.length;
    if (stream.summary.verdict !== 'other') this.decode(stream, sender, frame.data, frame.timestampUs);
  }

  private newStream(key: string, kind: 'tcp' | 'serial', name: string, client: Endpoint | undefined, server: Endpoint | undefined, frame: CapturedFrame): StreamState {
    // Sender 0 is the client (TCP) or us (serial); rows of our own files follow their EPB flags instead.
    const ours = this.ours && kind === 'tcp' && frame.direction !== Direction.UNKNOWN;
    const clientText = client ? formatEndpoint(client) : name;
    const serverText = server ? formatEndpoint(server) : name;
    const stream: StreamState = {
      key,
      index: this.order.length,
      summary: { kind, name, verdict: 'empty', packets: 0, bytes: [0, 0], retransmittedBytes: 0, lostBytes: 0, outOfOrderSegments: 0 },
      directions: [undefined, undefined],
      decoders: [new MspDecoder(), new MspDecoder()],
      folds: [new BadFrameFold(), new BadFrameFold()],
      rows:
        kind === 'serial'
          ? [
              { dir: 'out', peer: name },
              { dir: 'in', peer: name },
            ]
          : ours
            ? // Our export: whoever sent the SYN, the row is "out" when we sent it, and the peer is the other end.
              frame.direction === Direction.OUTBOUND
              ? [
                  { dir: 'out', peer: serverText },
                  { dir: 'in', peer: serverText },
                ]
              : [
                  { dir: 'in', peer: clientText },
                  { dir: 'out', peer: clientText },
                ]
            : [
                { dir: 'out', peer: name },
                { dir: 'in', peer: name },
              ],
      held: [],
      waitingForAck: [],
      finished: false,
    };
    this.order.push(stream);
    this.streams.set(key, stream);
    return stream;
  }

  private senderOf(stream: StreamState, from: string): Sender {
    return stream.summary.name.startsWith(`${from} →`) ? 0 : 1;
  }

  private decode(stream: StreamState, sender: Sender, data: Uint8Array, atUs: number): void {
    const decoders = stream.decoders;
    if (!decoders) return;
    for (const event of decoders[sender].push(data)) this.row(stream, sender, event, atUs);
    this.judge(stream);
  }

  /** A stream that has shown no MSP packet in its first bytes is not MSP: stop decoding it. */
  private judge(stream: StreamState): void {
    const summary = stream.summary;
    if (this.ours || summary.verdict === 'msp' || summary.bytes[0] + summary.bytes[1] <= NOT_MSP_AFTER_BYTES) return;
    summary.verdict = 'other';
    stream.decoders = undefined;
    stream.held = [];
    stream.directions = [undefined, undefined];
  }

  private end(stream: StreamState): void {
    if (stream.finishedAt) return;
    stream.finishedAt = true;
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
    for (const direction of stream.directions) {
      if (!direction) continue;
      direction.finish();
      stream.summary.retransmittedBytes += direction.retransmittedBytes;
      stream.summary.lostBytes += direction.lostBytes;
      stream.summary.outOfOrderSegments += direction.outOfOrderSegments;
    }
    // Rows found at the end (a frame left unfinished) take the stream's last time.
    if (stream.decoders) for (const sender of [0, 1] as const) for (const event of stream.decoders[sender].flush()) this.row(stream, sender, event, 0);
    const summary = stream.summary;
    if (summary.verdict !== 'msp') {
      summary.verdict = summary.bytes[0] + summary.bytes[1] > 0 ? 'other' : 'empty';
      stream.held = [];
    }
    stream.decoders = undefined;
    stream.directions = [undefined, undefined];
  }

  private row(stream: StreamState, sender: Sender, event: DecodeEvent, atUs: number): void {
    const { dir, peer } = stream.rows[sender];
    const fold = stream.folds[sender];
    let skipped: { raw: Uint8Array; length: number } | undefined;
    if (event.kind === 'skipped') {
      skipped = fold.skipped(event.raw, event.length);
      if (!skipped) return;
    } else if (event.kind === 'error') fold.rejected(event.length);
    else fold.reset();
    // In our own files, what we sent that is not a whole packet is what the log called raw: bytes written as they were.
    const sentRaw = this.ours && dir === 'out' && event.kind !== 'packet';
    const at = atUs > 0 ? atUs / 1000 : (stream.lastAt ?? 0);
    stream.lastAt = at;
    const id = this.nextId++;
    let entry: LogEntry;
    if (event.kind === 'packet') {
      const awaitsAck = dir === 'out' && DATA_TYPES.has(event.packet.type);
      entry = { id, at, dir, peer, kind: 'packet', raw: event.raw.slice(), ...(awaitsAck ? { awaitsAck } : {}) };
    } else if (sentRaw && (event.kind === 'error' || skipped)) {
      const raw = event.kind === 'error' ? event.raw : skipped!.raw;
      const length = event.kind === 'error' ? event.length : skipped!.length;
      entry = { id, at, dir, peer, kind: 'raw', raw, ...(length > raw.length ? { length } : {}) };
    } else if (event.kind === 'error') {
      entry = {
        id,
        at,
        dir,
        peer,
        kind: 'bad-frame',
        raw: event.raw,
        length: event.length,
        error: { code: event.code, message: event.message },
        ...(event.expectedCrc !== undefined ? { expectedCrc: event.expectedCrc } : {}),
      };
    } else if (event.kind === 'skipped') {
      entry = { id, at, dir, peer, kind: 'junk', raw: skipped!.raw, length: skipped!.length };
    } else {
      entry = { id, at, dir, peer, kind: 'suppressed', raw: new Uint8Array(0), suppressed: { frames: event.frames, bytes: event.bytes } };
    }
    const origin: RowOrigin = { stream: stream.index, fromClient: sender === 0 };
    const events: TrafficEvent[] = [{ kind: 'entry', entry }];
    if (event.kind === 'packet') {
      stream.summary.packets++;
      if (entry.awaitsAck) stream.waitingForAck.push({ id, at });
      else if (dir === 'in' && ACK_TYPES.has(event.packet.type)) {
        const data = stream.waitingForAck.shift();
        if (data) events.push({ kind: 'ack', dataId: data.id, ackId: id, rttMs: at - data.at });
      }
    }
    // Our own files hold only MSP links: even one with nothing but junk is shown.
    if (this.ours) stream.summary.verdict = 'msp';
    if (stream.summary.verdict === 'msp') {
      for (const e of events) this.onEvent(e, origin);
      return;
    }
    for (const e of events) stream.held.push({ event: e, origin });
    if (event.kind === 'packet') {
      stream.summary.verdict = 'msp';
      for (const held of stream.held) this.onEvent(held.event, held.origin);
      stream.held = [];
    }
  }
}
