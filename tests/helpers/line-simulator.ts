/**
 * A simulated serial cable between two Duplex streams, for tests and benches.
 *
 * Each direction behaves like a UART wire: bytes leave one at a time at the baud rate
 * (`bitsPerByte` bits each: 10 for 8N1), arrive `latencyMs` later, and on the way can get
 * bit flips, drops and duplicates at given rates from a seeded PRNG (the same seed gives the
 * same damage, so a failure can be replayed). The line can be cut (everything sent is lost,
 * still at line rate, as into an unplugged cable) and restored.
 *
 * Backpressure: a direction holds at most `fifoBytes` waiting to go out (a UART's transmit
 * buffer); beyond that the source stream is paused, so a fast sender is held to the line
 * rate instead of queueing megabytes here.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

export interface LineOptions {
  /** Bits per second; 0 means unpaced (as fast as the streams go). */
  baud: number;
  /** Bits on the wire per byte: 10 for 8N1 (start + 8 data + stop). */
  bitsPerByte?: number;
  /** One-way delay in ms added after a byte has left. */
  latencyMs?: number;
  /** Probability that each data bit is flipped. */
  bitErrorRate?: number;
  /** Probability that a byte is lost. */
  dropRate?: number;
  /** Probability that a byte arrives twice. */
  duplicateRate?: number;
  /** PRNG seed for the damage. */
  seed?: number;
  /** Cut the line once this many bytes have been carried in `cutDirection` (both directions go dead). */
  cutAtByte?: number;
  cutDirection?: 'aToB' | 'bToA';
  /** Bytes a direction buffers before pausing its source (default 1024). */
  fifoBytes?: number;
}

export interface DirectionStats {
  /** Bytes that left the sender onto the wire (including those lost to a cut). */
  sent: number;
  /** Bytes handed to the far end. */
  delivered: number;
  flippedBits: number;
  dropped: number;
  duplicated: number;
  /** Bytes sent while the line was cut. */
  lostToCut: number;
}

/** mulberry32: small, fast and good enough for test damage; seeded for replay. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts of trials until the next event with probability p (geometric), so rare events cost nothing per byte. */
function gapSampler(p: number, random: () => number): () => number {
  if (!(p > 0)) return () => Number.POSITIVE_INFINITY;
  if (p >= 1) return () => 0;
  const logQ = Math.log1p(-p);
  return () => Math.floor(Math.log1p(-random()) / logQ);
}

/** One way of the cable: pacing, damage, latency, cut. */
export class LineDirection extends EventEmitter {
  readonly stats: DirectionStats = { sent: 0, delivered: 0, flippedBits: 0, dropped: 0, duplicated: 0, lostToCut: 0 };
  /** performance.now() of the last hand-over to the far end (benches time transfers by it). */
  lastDeliveredAt = 0;
  private queue: Buffer[] = [];
  private queued = 0;
  /** Virtual time (performance.now() ms) when the wire finished the last byte it sent. */
  private clock = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly bytesPerMs: number;
  private readonly latencyMs: number;
  private readonly fifoBytes: number;
  private bitsToNextFlip: number;
  private bytesToNextDrop: number;
  private bytesToNextDuplicate: number;
  private readonly nextFlipGap: () => number;
  private readonly nextDropGap: () => number;
  private readonly nextDuplicateGap: () => number;
  private readonly random: () => number;
  private closed = false;
  /** Bytes waiting out the latency, in order. */
  private inFlight: { due: number; bytes: Buffer }[] = [];
  private deliveryTimer: NodeJS.Timeout | undefined;

  constructor(
    options: LineOptions,
    seed: number,
    private readonly deliver: (bytes: Buffer) => void,
    private readonly isCut: () => boolean,
    /** Cut the line (onCut) once this many bytes have been sent this way. */
    private readonly cutAtByte?: number,
    private readonly onCut?: () => void,
  ) {
    super();
    const bits = options.bitsPerByte ?? 10;
    this.bytesPerMs = options.baud > 0 ? options.baud / bits / 1000 : 0;
    this.latencyMs = options.latencyMs ?? 0;
    this.fifoBytes = options.fifoBytes ?? 1024;
    this.random = seededRandom(seed);
    this.nextFlipGap = gapSampler(options.bitErrorRate ?? 0, this.random);
    this.nextDropGap = gapSampler(options.dropRate ?? 0, this.random);
    this.nextDuplicateGap = gapSampler(options.duplicateRate ?? 0, this.random);
    this.bitsToNextFlip = this.nextFlipGap();
    this.bytesToNextDrop = this.nextDropGap();
    this.bytesToNextDuplicate = this.nextDuplicateGap();
  }

  /** Queues bytes to send; false means the FIFO is full: pause the source until 'drain'. */
  write(bytes: Buffer): boolean {
    if (this.closed || bytes.length === 0) return true;
    if (this.queued === 0) this.clock = Math.max(this.clock, performance.now());
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.schedule(0);
    return this.queued < this.fifoBytes;
  }

  /** True while bytes are queued or in flight. */
  get busy(): boolean {
    return this.queued > 0 || this.inFlight.length > 0;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.deliveryTimer) clearTimeout(this.deliveryTimer);
    this.timer = undefined;
    this.deliveryTimer = undefined;
    this.inFlight = [];
    this.queue = [];
    this.queued = 0;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delayMs);
  }

  private tick(): void {
    const now = performance.now();
    let count: number;
    if (this.bytesPerMs === 0) {
      count = this.queued;
      this.clock = now;
    } else {
      count = Math.min(this.queued, Math.floor((now - this.clock) * this.bytesPerMs));
      this.clock += count / this.bytesPerMs;
    }
    if (count > 0) {
      const wasFull = this.queued >= this.fifoBytes;
      const sent = this.take(count);
      if (wasFull && this.queued < this.fifoBytes) this.emit('drain');
      this.transmit(sent, this.clock);
    }
    // Wake when the next byte has left (at least 1 ms: timers are no finer).
    if (this.queued > 0) this.schedule(Math.max(1, this.clock + 1 / this.bytesPerMs - performance.now()));
  }

  private take(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const head = this.queue[0]!;
      const n = Math.min(head.length, count - filled);
      head.copy(out, filled, 0, n);
      filled += n;
      if (n === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
    this.queued -= count;
    return out;
  }

  /** Damages the bytes that just left and delivers them after the latency (or loses them to a cut). */
  private transmit(sent: Buffer, leftAt: number): void {
    const before = this.stats.sent;
    this.stats.sent += sent.length;
    const cutAt = this.cutAtByte;
    if (cutAt !== undefined && before < cutAt && this.stats.sent >= cutAt) {
      // The cut falls inside this batch: what left before it still arrives.
      this.carry(sent.subarray(0, cutAt - before), leftAt);
      this.onCut?.();
      this.stats.lostToCut += this.stats.sent - cutAt;
      return;
    }
    this.carry(sent, leftAt);
  }

  private carry(sent: Buffer, leftAt: number): void {
    if (this.isCut()) {
      this.stats.lostToCut += sent.length;
      return;
    }
    const out: number[] = [];
    for (let i = 0; i < sent.length; i++) {
      let byte = sent[i]!;
      // Bit flips: skip ahead by geometric gaps over the 8 data bits of each byte.
      let bitsLeft = 8;
      while (this.bitsToNextFlip < bitsLeft) {
        byte ^= 1 << (8 - bitsLeft + this.bitsToNextFlip);
        this.stats.flippedBits++;
        bitsLeft -= this.bitsToNextFlip + 1;
        this.bitsToNextFlip = this.nextFlipGap();
      }
      this.bitsToNextFlip -= bitsLeft;
      if (this.bytesToNextDrop === 0) {
        this.bytesToNextDrop = this.nextDropGap();
        this.stats.dropped++;
        continue;
      }
      this.bytesToNextDrop--;
      out.push(byte);
      if (this.bytesToNextDuplicate === 0) {
        this.bytesToNextDuplicate = this.nextDuplicateGap();
        this.stats.duplicated++;
        out.push(byte);
      } else this.bytesToNextDuplicate--;
    }
    this.inFlight.push({ due: leftAt + this.latencyMs, bytes: Buffer.from(out) });
    this.flushInFlight();
  }

  /** Hands over, in order, what has waited out the latency; one timer for the next. */
  private flushInFlight(): void {
    const now = performance.now();
    while (this.inFlight.length > 0 && this.inFlight[0]!.due <= now) this.handOver(this.inFlight.shift()!.bytes);
    if (this.inFlight.length > 0 && !this.deliveryTimer && !this.closed) {
      this.deliveryTimer = setTimeout(() => {
        this.deliveryTimer = undefined;
        this.flushInFlight();
      }, Math.max(1, this.inFlight[0]!.due - now));
    }
  }

  private handOver(bytes: Buffer): void {
    if (this.closed) return;
    if (this.isCut()) {
      // Cut while in flight: lost.
      this.stats.lostToCut += bytes.length;
      return;
    }
    this.stats.delivered += bytes.length;
    this.lastDeliveredAt = performance.now();
    if (bytes.length > 0) {
      this.deliver(bytes);
      // For benches that time a session by what arrives (a ZMODEM ZFIN).
      this.emit('delivered', bytes);
    }
  }
}

/** The cable: two directions between ends `a` and `b`, with cut/restore and statistics. */
export class LineSimulator extends EventEmitter {
  readonly aToB: LineDirection;
  readonly bToA: LineDirection;
  private cut = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly a: Duplex,
    readonly b: Duplex,
    readonly options: LineOptions,
  ) {
    super();
    const seed = options.seed ?? 1;
    const cutBToA = options.cutDirection === 'bToA';
    const isCut = () => this.cut;
    const cut = () => this.cutLine();
    const cutAt = options.cutAtByte;
    this.aToB = new LineDirection(options, seed, (bytes) => writeIfOpen(b, bytes), isCut, cutBToA ? undefined : cutAt, cut);
    this.bToA = new LineDirection(options, seed ^ 0x5bd1e995, (bytes) => writeIfOpen(a, bytes), isCut, cutBToA ? cutAt : undefined, cut);
    this.relay(a, this.aToB);
    this.relay(b, this.bToA);
  }

  get isCut(): boolean {
    return this.cut;
  }

  /** Pulls the cable: everything on the wire and sent from now on is lost. */
  cutLine(): void {
    if (this.cut) return;
    this.cut = true;
    this.emit('cut');
  }

  /** Plugs it back in: bytes sent from now on arrive again. */
  restore(): void {
    if (!this.cut) return;
    this.cut = false;
    this.emit('restore');
  }

  /** Stops relaying (the ends stay open: close them yourself). */
  close(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.aToB.close();
    this.bToA.close();
  }

  private relay(source: Duplex, direction: LineDirection): void {
    const onData = (chunk: Buffer) => {
      if (!direction.write(chunk)) source.pause();
    };
    const onDrain = () => source.resume();
    source.on('data', onData);
    direction.on('drain', onDrain);
    this.cleanups.push(() => {
      source.off('data', onData);
      direction.off('drain', onDrain);
    });
  }
}

function writeIfOpen(stream: Duplex, bytes: Buffer): void {
  if (!stream.destroyed && !stream.writableEnded) stream.write(bytes);
}

/** Bytes per second a line carries at this baud rate and framing. */
export function lineRate(baud: number, bitsPerByte = 10): number {
  return baud / bitsPerByte;
}
