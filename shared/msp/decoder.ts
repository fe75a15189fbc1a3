import * as wire from './constants.ts';
import * as crc from './crc.ts';
import { crcError } from './parse.ts';
import { giveSpareFrameBuffer, takeSpareFrameBuffer } from './spare-frame-buffers.ts';
import type { MspErrorCode, Packet } from './types.ts';

// Plain module constants, not imported bindings: the loader that runs the CLI (tsx) reads an
// imported binding through a getter, and that getter was most of the decoder's time per byte.
const { DETAILED_REJECTS, FIRST_SUMMARY_BYTES, HEADER_SIZE, MAX_PACKET_SIZE, MIN_PACKET_SIZE, REJECT_PREFIX_BYTES, SYNC_0, SYNC_1 } = wire;
const { checksum } = crc;

/** A frame that started with AA 55 but is not a packet. */
export type FrameErrorCode = Extract<
  MspErrorCode,
  'MSP_ERR_BAD_LENGTH' | 'MSP_ERR_TOO_LARGE' | 'MSP_ERR_BAD_CRC' | 'MSP_ERR_TRUNCATED'
>;

/**
 * What the decoder reports. Every input byte ends up in exactly one `packet` (its `raw`)
 * or `skipped` event (its `length`), or is counted in a `suppressed` event (its `bytes`).
 * `error` events describe a rejected frame whose bytes are then reported as skipped
 * (from its SYNC up to the next SYNC the scan finds).
 *
 * A packet's `raw` may be a view into the chunk passed to `push`: copy it (`slice()`) to
 * keep it longer than the chunk would live. An error's or skip's `raw` is its own copy of
 * at most REJECT_PREFIX_BYTES first bytes: a hostile peer's junk is never copied whole.
 * After DETAILED_REJECTS errors and skips since the last valid packet, further ones are
 * only counted, and reported as `suppressed` summaries (at FIRST_SUMMARY_BYTES counted
 * bytes, then at twice as many each time, before the next valid packet, and on
 * `expire`/`flush`). `offset` counts bytes since the stream began.
 */
export type DecodeEvent =
  | { kind: 'packet'; packet: Packet; raw: Uint8Array; offset: number }
  | {
      kind: 'error';
      code: FrameErrorCode;
      message: string;
      /** The frame's first bytes (at most REJECT_PREFIX_BYTES). */
      raw: Uint8Array;
      /** How many bytes the frame spans: its LENGTH for a bad CRC, its 4-byte header for a bad LENGTH. */
      length: number;
      offset: number;
      /** For MSP_ERR_BAD_CRC: the CRC the payload should have had. */
      expectedCrc?: number;
    }
  | { kind: 'skipped'; raw: Uint8Array; length: number; offset: number }
  /** `frames` rejected frames and `bytes` skipped bytes since the last report, from `offset` on, not reported one by one. */
  | { kind: 'suppressed'; frames: number; bytes: number; offset: number };

/** A rejected frame, skipped bytes or a summary of them: the events that are not packets. */
export type NonPacketEvent = Exclude<DecodeEvent, { kind: 'packet' }>;

/**
 * Receives what the decoder finds, as it finds it: the allocation-free way to decode
 * (`push` builds a DecodeEvent per packet; a busy server does not need one).
 */
export interface DecodeHandler {
  /**
   * A whole, valid packet: `bytes[start]` .. `bytes[start + length - 1]`, SYNC to CRC.
   * `bytes` may be the pushed chunk itself: read what you need during the call.
   */
  packet(bytes: Uint8Array, start: number, length: number, offset: number): void;
  /** A rejected frame, skipped bytes or a summary (few, so these are ordinary event objects). */
  other(event: NonPacketEvent): void;
}

/** The event `push` reports for a packet handed to `DecodeHandler.packet`. */
export function packetEvent(bytes: Uint8Array, start: number, length: number, offset: number): DecodeEvent {
  const raw = bytes.subarray(start, start + length);
  const packet: Packet = { version: raw[4], type: raw[5], payload: raw.subarray(HEADER_SIZE, length - 1) };
  return { kind: 'packet', packet, raw, offset };
}

export interface DecoderOptions {
  /** Largest LENGTH accepted (7..65535); a larger header is rejected before any byte is buffered for it. */
  maxPacketSize?: number;
}

/** Running sums up to this many bytes are kept between chunks; longer ones are made per chunk. */
const KEPT_SUMS_SIZE = 64 * 1024 + 1;
/** Bytes `held` takes beyond what its frame needs, at most. */
const HELD_BATCH = 4096;
/** A held buffer larger than this is let go once empty, so idle connections stay small. */
const KEPT_HELD_SIZE = 16 * 1024;

/**
 * Streaming MSP decoder: feed it TCP or serial chunks as they come, split or merged,
 * with junk anywhere. It never throws on wire bytes. After a bad frame it drops the
 * bad SYNC's first byte and scans again, so one corrupt frame costs only itself.
 *
 * Work is bounded per received byte, whatever the bytes: the CRC is a plain sum, so a
 * candidate frame is checked in O(1) from running sums (sums[i] = bytes[0..i) mod 256)
 * instead of by summing it again, and rejected frames are never copied beyond a prefix.
 * Valid frames are summed directly; running sums are made from the first bad CRC on.
 *
 * Chunks are decoded in place. Only an unfinished frame at a chunk's end is copied, into
 * one owned buffer (`held`, with running sums once a frame there failed), and later chunks add to it only the
 * bytes that frame still needs (and a batch more); once nothing is left undecided there,
 * decoding goes back to the chunk. Between pushes `held` holds less than one maximum
 * packet; its capacity stops at 1.5 packets plus a batch, so it is compacted only after
 * half a packet was consumed (never per byte).
 */
export class MspDecoder {
  private readonly maxPacketSize: number;
  /** Bytes taken into `held` beyond what its frame needs (so live bytes stay under maxPacketSize + batch). */
  private readonly batch: number;
  /** The unfinished frame: held[heldStart .. heldEnd), starting with AA (and 55 if longer than 1 byte). */
  private held: Uint8Array = new Uint8Array(0);
  /** heldSums[i] - heldSums[j] = sum of held[j .. i) mod 256 (the base value itself means nothing). */
  private heldSums = new Uint8Array(1);
  /**
   * Whether heldSums are kept: only once a frame in `held` failed its CRC, until `held` empties.
   * A valid frame that arrived in pieces (every 64 KiB file chunk) is summed once, directly.
   */
  private heldSummed = false;
  private heldStart = 0;
  private heldEnd = 0;
  /** Running sums of a chunk, kept to avoid an allocation per chunk with a bad frame in it. */
  private chunkSums = new Uint8Array(0);
  /** Stream offset of the first byte not yet consumed. */
  private streamOffset = 0;
  /** Chunks pushed from inside a handler call, decoded after the current one. */
  private queued: Uint8Array[] = [];
  private draining = false;

  /** Errors and skips reported in full since the last valid packet. */
  private detailed = 0;
  private junk = 0;
  private suppressedFrames = 0;
  private suppressedBytes = 0;
  private suppressedOffset = 0;
  private nextSummaryAt = FIRST_SUMMARY_BYTES;

  constructor(options: DecoderOptions = {}) {
    const max = options.maxPacketSize ?? MAX_PACKET_SIZE;
    if (!Number.isInteger(max) || max < MIN_PACKET_SIZE || max > MAX_PACKET_SIZE) {
      throw new RangeError(`maxPacketSize must be ${MIN_PACKET_SIZE}..${MAX_PACKET_SIZE}, got ${max}`);
    }
    this.maxPacketSize = max;
    this.batch = Math.min(HELD_BATCH, max);
  }

  /** Bytes held while waiting for the rest of a frame (at most one maximum packet). */
  get buffered(): number {
    return this.heldEnd - this.heldStart;
  }

  /** Bytes consumed (as packets or skipped) since the stream began. */
  get consumed(): number {
    return this.streamOffset;
  }

  /** Bytes skipped (not part of any valid packet) since the last valid packet: for a junk budget. */
  get junkBytes(): number {
    return this.junk;
  }

  /** Capacity of the held buffer, for tests of the memory bound. */
  get heldCapacity(): number {
    return this.held.length;
  }

  /** Feeds bytes in; returns what they completed, in stream order. */
  push(chunk: Uint8Array): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    this.pushTo(chunk, this.collectInto(events));
    return events;
  }

  /**
   * A handler that collects events into an array, for `push`, `expire` and `flush`. A
   * packet completed in `held` is copied out: later bytes will overwrite it there.
   */
  private collectInto(events: DecodeEvent[]): DecodeHandler {
    return {
      packet: (bytes, start, length, offset) =>
        events.push(bytes === this.held ? packetEvent(bytes.slice(start, start + length), 0, length, offset) : packetEvent(bytes, start, length, offset)),
      other: (event) => events.push(event),
    };
  }

  /** Feeds bytes in and hands what they completed to `handler`, in stream order. */
  pushTo(chunk: Uint8Array, handler: DecodeHandler): void {
    if (chunk.length === 0) return;
    if (this.draining) {
      // A handler pushed more bytes: decode them once the current chunk is done.
      this.queued.push(chunk.slice());
      return;
    }
    this.draining = true;
    try {
      this.decodeChunk(chunk, handler);
      while (this.queued.length > 0) this.decodeChunk(this.queued.shift()!, handler);
    } finally {
      this.draining = false;
    }
  }

  /**
   * Gives up on the frame in progress (a peer went quiet mid-frame): reports it as
   * MSP_ERR_TRUNCATED and rescans what followed its SYNC, which may hold whole packets.
   * A frame found there that also waits for bytes that never came is given up the same
   * way, so nothing is held afterwards: after 64 KiB of AA 55 FF FF, one timeout (not
   * one per 4 bytes) frees a packet that came behind them. Then reports the summary of
   * suppressed rejects, if any: the stream has gone idle.
   */
  expire(): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    const handler = this.collectInto(events);
    while (this.heldEnd > this.heldStart) this.expireFront(handler);
    this.reportSuppressed(handler);
    return events;
  }

  /** End of stream: gives up on whatever is held, as `expire` does. */
  flush(): DecodeEvent[] {
    return this.expire();
  }

  /** The summary of rejects counted but not yet reported, if any (for a stream that is closing). */
  takeSuppressed(): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    this.reportSuppressed(this.collectInto(events));
    return events;
  }

  private expireFront(handler: DecodeHandler): void {
    const live = this.heldEnd - this.heldStart;
    this.reject(handler, 'MSP_ERR_TRUNCATED', this.held, this.heldStart, live, 0, 0);
    this.heldStart = this.scan(this.held, this.heldStart, this.heldStart + 1, this.heldEnd, this.heldSumsIfKept(), 0, handler);
    if (this.heldStart === this.heldEnd) this.clearHeld();
  }

  private decodeChunk(chunk: Uint8Array, handler: DecodeHandler): void {
    // A plain view: indexing a Node Buffer goes through its slower subclass.
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const from = this.heldEnd > this.heldStart ? this.feedHeld(bytes, handler) : 0;
    if (from === bytes.length) return;
    const unfinished = this.scan(bytes, from, from, bytes.length, undefined, 0, handler);
    if (unfinished < bytes.length) this.append(bytes, unfinished, bytes.length - unfinished);
  }

  /**
   * Completes the held frame from the front of `bytes`: what the frame at the front of
   * `held` still needs, plus up to a batch more so that the frames starting right after
   * it (AA 55 FF FF every 4 bytes, say) are decided in one scan, not one call each.
   * Returns how many bytes it took; when that is not all of them, nothing is held any
   * more and the rest is decoded in place.
   */
  private feedHeld(bytes: Uint8Array, handler: DecodeHandler): number {
    let taken = 0;
    while (taken < bytes.length) {
      const missing = this.frameSizeHeld() - (this.heldEnd - this.heldStart);
      const take = Math.min(missing + this.batch, bytes.length - taken);
      this.append(bytes, taken, take);
      taken += take;
      if (take < missing) break;
      this.heldStart = this.scan(this.held, this.heldStart, this.heldStart, this.heldEnd, this.heldSumsIfKept(), 0, handler);
      if (this.heldStart === this.heldEnd) {
        this.clearHeld();
        break;
      }
    }
    return taken;
  }

  /** How many bytes the held frame needs before it can be decided: 2 (SYNC), 4 (header) or its LENGTH. */
  private frameSizeHeld(): number {
    const live = this.heldEnd - this.heldStart;
    if (live < 4) return live < 2 ? 2 : 4;
    return (this.held[this.heldStart + 2] << 8) | this.held[this.heldStart + 3];
  }

  /**
   * Decodes bytes[from .. to): hands out packets, rejects and skips, and returns where an
   * unfinished frame starts (`to` when none is). SYNCs are looked for from `searchFrom`.
   * `sums` are running sums of `bytes` (index i at sums[i - sumsBase]); without them,
   * frames are summed directly while they are valid (the fast common case) and running
   * sums of the rest are made at the first bad CRC, so no byte is summed twice after it.
   */
  private scan(
    bytes: Uint8Array,
    from: number,
    searchFrom: number,
    to: number,
    sums: Uint8Array | undefined,
    sumsBase: number,
    handler: DecodeHandler,
  ): number {
    let at = from; // first byte not yet consumed
    let search = searchFrom;
    for (;;) {
      const sync =
        search === at && at + 1 < to && bytes[at] === SYNC_0 && bytes[at + 1] === SYNC_1 ? at : findSync(bytes, search, to);
      if (sync > at) {
        this.skip(handler, bytes, at, sync - at);
        at = sync;
      }
      // Not a whole header yet (nothing, a trailing AA, or AA 55 and less): wait for more bytes.
      if (to - at < 4) return at;

      const length = (bytes[at + 2] << 8) | bytes[at + 3];
      if (length < MIN_PACKET_SIZE || length > this.maxPacketSize) {
        const code = length > this.maxPacketSize ? 'MSP_ERR_TOO_LARGE' : 'MSP_ERR_BAD_LENGTH';
        this.reject(handler, code, bytes, at, 4, length, 0);
        search = at + 1;
        continue;
      }
      if (to - at < length) return at;

      const crcAt = at + length - 1;
      let sum: number;
      if (sums !== undefined) {
        sum = (sums[crcAt - sumsBase] - sums[at + HEADER_SIZE - sumsBase]) & 0xff;
      } else {
        sum = checksum(bytes, at + HEADER_SIZE, crcAt);
      }
      if (sum !== bytes[crcAt]) {
        if (sums === undefined) {
          sums = bytes === this.held ? this.keepHeldSums(at) : this.runningSums(bytes, at, to);
          sumsBase = bytes === this.held ? 0 : at;
        }
        this.reject(handler, 'MSP_ERR_BAD_CRC', bytes, at, length, bytes[crcAt], sum);
        search = at + 1;
        continue;
      }
      const offset = this.streamOffset;
      this.streamOffset += length;
      if (this.detailed !== 0) this.endRejects(handler);
      handler.packet(bytes, at, length, offset);
      at += length;
      search = at;
    }
  }

  private heldSumsIfKept(): Uint8Array | undefined {
    return this.heldSummed ? this.heldSums : undefined;
  }

  /** From now until `held` empties, keeps running sums of it (from `from`, the frame that failed), each byte summed once. */
  private keepHeldSums(from: number): Uint8Array {
    this.heldSummed = true;
    // Made only now: a frame that arrives whole in pieces never needs them.
    if (this.heldSums.length < this.held.length + 1) this.heldSums = new Uint8Array(this.held.length + 1);
    return fillSums(this.heldSums, from, this.held, from, this.heldEnd);
  }

  /** sums[k] = sum of bytes[from .. from + k) mod 256, for k = 0 .. to - from. */
  private runningSums(bytes: Uint8Array, from: number, to: number): Uint8Array {
    const size = to - from + 1;
    if (size > this.chunkSums.length) {
      const sums = new Uint8Array(size);
      if (size <= KEPT_SUMS_SIZE) this.chunkSums = sums;
      return fillSums(sums, 0, bytes, from, to);
    }
    return fillSums(this.chunkSums, 0, bytes, from, to);
  }

  /** Appends bytes[from .. from + n) to the held frame, with their running sums. */
  private append(bytes: Uint8Array, from: number, n: number): void {
    if (this.heldEnd + n > this.held.length) this.makeRoom(n);
    if (n > 16) this.held.set(bytes.subarray(from, from + n), this.heldEnd);
    else for (let i = 0; i < n; i++) this.held[this.heldEnd + i] = bytes[from + i];
    if (this.heldSummed) fillSums(this.heldSums, this.heldEnd, bytes, from, from + n);
    this.heldEnd += n;
  }

  /**
   * Room for n more held bytes. Live bytes never exceed one maximum packet plus a batch
   * (at most another packet) and the capacity stops at 1.5 packets plus a batch, so a
   * compaction moves at most four times the bytes consumed since the last one: linear
   * work, even fed one byte at a time.
   */
  private makeRoom(n: number): void {
    const live = this.heldEnd - this.heldStart;
    const need = live + n;
    if (need <= this.held.length && this.heldStart * 2 >= live) {
      this.held.copyWithin(0, this.heldStart, this.heldEnd);
      if (this.heldSummed) this.heldSums.copyWithin(0, this.heldStart, this.heldEnd + 1);
    } else {
      const capacity = this.maxPacketSize + (this.maxPacketSize >> 1) + this.batch;
      const size = Math.min(Math.max(need * 2, 256), capacity);
      const held = (size > KEPT_HELD_SIZE ? takeSpareFrameBuffer(size, capacity) : undefined) ?? new Uint8Array(size);
      held.set(this.held.subarray(this.heldStart, this.heldEnd));
      if (this.heldSummed) {
        const sums = new Uint8Array(held.length + 1);
        sums.set(this.heldSums.subarray(this.heldStart, this.heldEnd + 1));
        this.heldSums = sums;
      }
      if (this.held.length > KEPT_HELD_SIZE) giveSpareFrameBuffer(this.held);
      this.held = held;
    }
    this.heldStart = 0;
    this.heldEnd = live;
  }

  private clearHeld(): void {
    this.heldStart = 0;
    this.heldEnd = 0;
    this.heldSummed = false;
    if (this.held.length > KEPT_HELD_SIZE) {
      giveSpareFrameBuffer(this.held);
      this.held = new Uint8Array(0);
    }
    if (this.heldSums.length > KEPT_HELD_SIZE + 1) this.heldSums = new Uint8Array(1);
  }

  /** Consumes n bytes that are not part of a packet. */
  private skip(handler: DecodeHandler, bytes: Uint8Array, at: number, n: number): void {
    const offset = this.streamOffset;
    this.streamOffset += n;
    this.junk += n;
    if (this.detailed < DETAILED_REJECTS) {
      this.detailed++;
      handler.other({ kind: 'skipped', raw: prefixOf(bytes, at, n), length: n, offset });
    } else {
      this.suppress(handler, 0, n, offset);
    }
  }

  /**
   * Reports a rejected frame at bytes[at] spanning `length` bytes (its bytes are then
   * skipped by the scan). `value` is its LENGTH field, or its CRC with `expected`.
   */
  private reject(
    handler: DecodeHandler,
    code: FrameErrorCode,
    bytes: Uint8Array,
    at: number,
    length: number,
    value: number,
    expected: number,
  ): void {
    if (this.detailed >= DETAILED_REJECTS) return this.suppress(handler, 1, 0, this.streamOffset);
    this.detailed++;
    const event: NonPacketEvent = {
      kind: 'error',
      code,
      message: frameErrorMessage(code, value, expected, length, this.maxPacketSize),
      raw: prefixOf(bytes, at, length),
      length,
      offset: this.streamOffset,
    };
    if (code === 'MSP_ERR_BAD_CRC') event.expectedCrc = expected;
    handler.other(event);
  }

  private suppress(handler: DecodeHandler, frames: number, bytes: number, offset: number): void {
    if (this.suppressedFrames === 0 && this.suppressedBytes === 0) this.suppressedOffset = offset;
    this.suppressedFrames += frames;
    this.suppressedBytes += bytes;
    if (this.suppressedBytes >= this.nextSummaryAt) {
      this.reportSuppressed(handler);
      this.nextSummaryAt *= 2;
    }
  }

  private reportSuppressed(handler: DecodeHandler): void {
    if (this.suppressedFrames === 0 && this.suppressedBytes === 0) return;
    const event: NonPacketEvent = {
      kind: 'suppressed',
      frames: this.suppressedFrames,
      bytes: this.suppressedBytes,
      offset: this.suppressedOffset,
    };
    this.suppressedFrames = 0;
    this.suppressedBytes = 0;
    handler.other(event);
  }

  /** A valid packet arrived: report what was counted, and start detailing rejects again. */
  private endRejects(handler: DecodeHandler): void {
    this.reportSuppressed(handler);
    this.detailed = 0;
    this.junk = 0;
    this.nextSummaryAt = FIRST_SUMMARY_BYTES;
  }
}

/**
 * Index of the first AA 55 in bytes[from .. to), or of a trailing AA that may start
 * one; `to` when there is neither.
 */
function findSync(bytes: Uint8Array, from: number, to: number): number {
  if (to === bytes.length) {
    // A whole chunk: the native search. (Not on `held`, whose bytes past `to` are stale.)
    for (let i = bytes.indexOf(SYNC_0, from); i >= 0; i = bytes.indexOf(SYNC_0, i + 1)) {
      if (i + 1 === to || bytes[i + 1] === SYNC_1) return i;
    }
    return to;
  }
  for (let i = from; i < to; i++) {
    if (bytes[i] === SYNC_0 && (i + 1 === to || bytes[i + 1] === SYNC_1)) return i;
  }
  return to;
}

/** Writes running sums of bytes[from .. to) into sums[at + 1 ..], continuing from sums[at]. */
function fillSums(sums: Uint8Array, at: number, bytes: Uint8Array, from: number, to: number): Uint8Array {
  let sum = sums[at];
  for (let i = from, j = at + 1; i < to; i++, j++) {
    sum = (sum + bytes[i]) & 0xff;
    sums[j] = sum;
  }
  return sums;
}

/** An owned copy of the first bytes of a rejected frame or skipped run. */
function prefixOf(bytes: Uint8Array, at: number, length: number): Uint8Array {
  return bytes.slice(at, at + Math.min(length, REJECT_PREFIX_BYTES));
}

function frameErrorMessage(code: FrameErrorCode, value: number, expected: number, length: number, max: number): string {
  switch (code) {
    case 'MSP_ERR_TOO_LARGE':
      return `LENGTH ${value} is over this link's limit of ${max} bytes.`;
    case 'MSP_ERR_BAD_LENGTH':
      return `LENGTH ${value} is too small: a packet has at least ${MIN_PACKET_SIZE} bytes.`;
    case 'MSP_ERR_BAD_CRC':
      return crcError(value, expected).message;
    case 'MSP_ERR_TRUNCATED':
      return `Incomplete frame: ${length} bytes arrived and then nothing more.`;
  }
}
