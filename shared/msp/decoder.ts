import { HEADER_SIZE, MAX_PACKET_SIZE, MIN_PACKET_SIZE, SYNC_0, SYNC_1 } from './constants.ts';
import { crcError } from './parse.ts';
import type { MspErrorCode, Packet } from './types.ts';

/** A frame that started with AA 55 but is not a packet. */
export type FrameErrorCode = Extract<
  MspErrorCode,
  'MSP_ERR_BAD_LENGTH' | 'MSP_ERR_TOO_LARGE' | 'MSP_ERR_BAD_CRC' | 'MSP_ERR_TRUNCATED'
>;

/**
 * What the decoder reports. Every input byte ends up in exactly one `packet` or
 * `skipped` event; `error` events describe a rejected frame whose bytes are then
 * reported as `skipped` (from its SYNC up to the next SYNC the scan finds).
 *
 * `raw` may be a view into the chunk passed to `push`: copy it (`slice()`) to keep
 * it longer than the chunk would live. `offset` counts bytes since the stream began.
 */
export type DecodeEvent =
  | { kind: 'packet'; packet: Packet; raw: Uint8Array; offset: number }
  | {
      kind: 'error';
      code: FrameErrorCode;
      message: string;
      raw: Uint8Array;
      offset: number;
      /** For MSP_ERR_BAD_CRC: the CRC the payload should have had. */
      expectedCrc?: number;
    }
  | { kind: 'skipped'; raw: Uint8Array; offset: number };

/** A rejected frame or skipped bytes: the events that are not packets. */
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
  /** A rejected frame or skipped bytes (rare, so these are ordinary event objects). */
  other(event: NonPacketEvent): void;
}

/** The event `push` reports for a packet handed to `DecodeHandler.packet`. */
export function packetEvent(bytes: Uint8Array, start: number, length: number, offset: number): DecodeEvent {
  const raw = bytes.subarray(start, start + length);
  const packet: Packet = { version: raw[4], type: raw[5], payload: raw.subarray(HEADER_SIZE, length - 1) };
  return { kind: 'packet', packet, raw, offset };
}

/** A handler that collects events into an array, for `push`, `expire` and `flush`. */
function collectInto(events: DecodeEvent[]): DecodeHandler {
  return {
    packet: (bytes, start, length, offset) => events.push(packetEvent(bytes, start, length, offset)),
    other: (event) => events.push(event),
  };
}

export interface DecoderOptions {
  /** Largest LENGTH accepted (7..65535); a larger header is rejected before any byte is buffered for it. */
  maxPacketSize?: number;
}

/**
 * Streaming MSP decoder: feed it TCP or serial chunks as they come, split or merged,
 * with junk anywhere. It never throws on wire bytes. After a bad frame it drops the
 * bad SYNC's first byte and scans again, so one corrupt frame costs only itself.
 *
 * States are implicit in the buffer: it either starts with AA 55 (a frame in progress)
 * or is empty / a lone trailing AA. At most one maximum packet plus one chunk is held.
 */
export class MspDecoder {
  private readonly maxPacketSize: number;
  /** Received chunks not yet consumed; `chunks[first]` is read from `head`. */
  private chunks: Uint8Array[] = [];
  private first = 0;
  private head = 0;
  private bufferedBytes = 0;
  /** Stream offset of the first buffered byte. */
  private streamOffset = 0;
  /** Bytes at the front known not to start a frame (the first byte of a rejected SYNC). */
  private scanFrom = 0;
  private junkSinceLastPacket = 0;

  constructor(options: DecoderOptions = {}) {
    const max = options.maxPacketSize ?? MAX_PACKET_SIZE;
    if (!Number.isInteger(max) || max < MIN_PACKET_SIZE || max > MAX_PACKET_SIZE) {
      throw new RangeError(`maxPacketSize must be ${MIN_PACKET_SIZE}..${MAX_PACKET_SIZE}, got ${max}`);
    }
    this.maxPacketSize = max;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /** Bytes consumed (as packets or skipped) since the stream began. */
  get consumed(): number {
    return this.streamOffset;
  }

  /** Bytes skipped (in no valid packet) since the last valid packet: what a junk budget counts. */
  get junkBytes(): number {
    return this.junkSinceLastPacket;
  }

  /** Feeds bytes in; returns what they completed, in stream order. */
  push(chunk: Uint8Array): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    this.pushTo(chunk, collectInto(events));
    return events;
  }

  /** Feeds bytes in and hands what they completed to `handler`, in stream order. */
  pushTo(chunk: Uint8Array, handler: DecodeHandler): void {
    if (chunk.length === 0) return;
    // A plain view: slicing a Node Buffer goes through its slower subclass constructor.
    this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.bufferedBytes += chunk.length;
    this.drain(handler);
  }

  /**
   * Gives up on the frame in progress (a peer went quiet mid-frame): reports it as
   * MSP_ERR_TRUNCATED and rescans what followed its SYNC, which may hold whole packets.
   */
  expire(): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    if (this.bufferedBytes === 0) return events;
    const handler = collectInto(events);
    handler.other({
      kind: 'error',
      code: 'MSP_ERR_TRUNCATED',
      message: `Incomplete frame: ${this.bufferedBytes} bytes arrived and then nothing more.`,
      raw: this.peek(this.bufferedBytes),
      offset: this.streamOffset,
    });
    this.scanFrom = 1;
    this.drain(handler);
    return events;
  }

  /** End of stream: expires until nothing is held. */
  flush(): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    while (this.bufferedBytes > 0) events.push(...this.expire());
    return events;
  }

  private drain(handler: DecodeHandler): void {
    for (;;) {
      if (this.scanFrom === 0 && this.takePacketInFirstChunk(handler)) continue;
      const sync = this.findSync(this.scanFrom);
      if (sync > 0) handler.other(this.skip(sync));
      this.scanFrom = 0;
      // Not a whole SYNC yet (nothing, or a trailing AA): wait for more bytes.
      if (this.bufferedBytes < 4 || this.byteAt(1) !== SYNC_1) return;

      const length = (this.byteAt(2) << 8) | this.byteAt(3);
      if (length < MIN_PACKET_SIZE || length > this.maxPacketSize) {
        const tooLarge = length > this.maxPacketSize;
        handler.other({
          kind: 'error',
          code: tooLarge ? 'MSP_ERR_TOO_LARGE' : 'MSP_ERR_BAD_LENGTH',
          message: tooLarge
            ? `LENGTH ${length} is over this link's limit of ${this.maxPacketSize} bytes.`
            : `LENGTH ${length} is too small: a packet has at least ${MIN_PACKET_SIZE} bytes.`,
          raw: this.peek(4),
          offset: this.streamOffset,
        });
        this.scanFrom = 1;
        continue;
      }
      if (this.bufferedBytes < length) return;

      const crc = this.byteAt(length - 1);
      const expected = this.sum(HEADER_SIZE, length - 1);
      if (crc !== expected) {
        handler.other({
          kind: 'error',
          code: 'MSP_ERR_BAD_CRC',
          message: crcError(crc, expected).message,
          raw: this.peek(length),
          offset: this.streamOffset,
          expectedCrc: expected,
        });
        this.scanFrom = 1;
        continue;
      }
      const offset = this.streamOffset;
      this.junkSinceLastPacket = 0;
      handler.packet(this.consume(length), 0, length, offset);
    }
  }

  /**
   * The common case, without the general path's walk over chunks: a whole, valid packet
   * at the front of the first chunk. Returns false, having changed nothing, otherwise.
   */
  private takePacketInFirstChunk(handler: DecodeHandler): boolean {
    const chunk = this.chunks[this.first];
    if (chunk === undefined) return false;
    const at = this.head;
    const available = chunk.length - at;
    if (available < MIN_PACKET_SIZE || chunk[at] !== SYNC_0 || chunk[at + 1] !== SYNC_1) return false;
    const length = (chunk[at + 2] << 8) | chunk[at + 3];
    if (length < MIN_PACKET_SIZE || length > this.maxPacketSize || length > available) return false;
    const crcAt = at + length - 1;
    let sum = 0;
    for (let i = at + HEADER_SIZE; i < crcAt; i++) sum += chunk[i];
    if ((sum & 0xff) !== chunk[crcAt]) return false;
    const offset = this.streamOffset;
    this.junkSinceLastPacket = 0;
    this.head += length;
    this.bufferedBytes -= length;
    this.streamOffset += length;
    if (this.head === chunk.length) this.dropFirstChunk();
    // Last, so a handler that pushes more bytes from inside the call finds the decoder consistent.
    handler.packet(chunk, at, length, offset);
    return true;
  }

  /**
   * Index (from the front) of the first AA 55 at or after `from`, or of a trailing AA
   * that may be the start of one; when there is neither, the buffered length.
   */
  private findSync(from: number): number {
    let base = 0; // index of the current chunk's first unread byte, counted from the front
    for (let c = this.first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      const start = c === this.first ? this.head : 0;
      const size = chunk.length - start;
      let i = Math.max(from - base, 0) + start;
      while (i < chunk.length) {
        i = chunk.indexOf(SYNC_0, i);
        if (i < 0) break;
        const next = i + 1 < chunk.length ? chunk[i + 1] : this.firstByteAfter(c);
        if (next === SYNC_1 || next === undefined) return base + (i - start);
        i++;
      }
      base += size;
    }
    return this.bufferedBytes;
  }

  private firstByteAfter(chunkIndex: number): number | undefined {
    return chunkIndex + 1 < this.chunks.length ? this.chunks[chunkIndex + 1][0] : undefined;
  }

  private byteAt(index: number): number {
    let i = index + this.head;
    for (let c = this.first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (i < chunk.length) return chunk[i];
      i -= chunk.length;
    }
    throw new RangeError('byteAt past the buffered bytes'); // unreachable: callers check bufferedBytes
  }

  /** Sum mod 256 of the buffered bytes [from, to), without copying. */
  private sum(from: number, to: number): number {
    let total = 0;
    let pos = -this.head; // stream index of chunk[0] relative to the front
    for (let c = this.first; c < this.chunks.length && pos < to; c++) {
      const chunk = this.chunks[c];
      const lo = Math.max(from - pos, 0);
      const hi = Math.min(to - pos, chunk.length);
      for (let i = lo; i < hi; i++) total += chunk[i];
      pos += chunk.length;
    }
    return total & 0xff;
  }

  private skip(n: number): NonPacketEvent {
    const offset = this.streamOffset;
    this.junkSinceLastPacket += n;
    return { kind: 'skipped', raw: this.consume(n), offset };
  }

  /** Copies the first n buffered bytes without consuming them. */
  private peek(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    for (let c = this.first; c < this.chunks.length && filled < n; c++) {
      const chunk = this.chunks[c];
      const start = c === this.first ? this.head : 0;
      const take = Math.min(chunk.length - start, n - filled);
      out.set(chunk.subarray(start, start + take), filled);
      filled += take;
    }
    return out;
  }

  /** Removes the first n bytes; a view when they lie in one chunk, a copy only when they span chunks. */
  private consume(n: number): Uint8Array {
    const chunk = this.chunks[this.first];
    let out: Uint8Array;
    if (chunk.length - this.head >= n) {
      out = chunk.subarray(this.head, this.head + n);
      this.head += n;
    } else {
      out = this.peek(n);
      let left = n;
      while (left > 0) {
        const current = this.chunks[this.first];
        const available = current.length - this.head;
        if (available > left) {
          this.head += left;
          left = 0;
        } else {
          left -= available;
          this.head = current.length;
          this.dropFirstChunk();
        }
      }
    }
    if (this.first < this.chunks.length && this.head === this.chunks[this.first].length) this.dropFirstChunk();
    this.bufferedBytes -= n;
    this.streamOffset += n;
    return out;
  }

  private dropFirstChunk(): void {
    this.first++;
    this.head = 0;
    // Compact now and then instead of shift() per chunk, which is quadratic on byte-by-byte input.
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first > 64 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}
