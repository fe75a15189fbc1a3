/**
 * The byte line a transfer runs over (a serial port, a TCP socket, any Duplex): writes that
 * wait for the stream to drain, and reads with timeouts. Incoming bytes are kept until read;
 * past READ_BUFFER_MAX the stream is paused, so a peer that floods us is held back by the
 * line itself instead of filling memory.
 */
import type { Duplex } from 'node:stream';

const READ_BUFFER_MAX = 64 * 1024;
/** How long CANs on cancel wait for the data queued before them to go (a peer that reads nothing holds them up). */
export const CANCEL_FLUSH_MS = 3000;

export type ReadOutcome = Uint8Array | 'timeout' | 'closed' | 'stopped';

export class ModemLine {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private waiter: (() => void) | undefined;
  private ended = false;
  /** When the peer's bytes last arrived (performance.now()). */
  private lastArrivalAt = -Infinity;
  private readonly onData = (chunk: Buffer) => {
    this.lastArrivalAt = performance.now();
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > READ_BUFFER_MAX) this.stream.pause();
    this.wake();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake();
  };

  constructor(
    private readonly stream: Duplex,
    private readonly signal?: AbortSignal,
  ) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
    signal?.addEventListener('abort', () => this.wake(), { once: true });
  }

  get closed(): boolean {
    return this.ended || this.stream.destroyed;
  }

  get stopped(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Stops listening; the stream stays open (its owner closes it). */
  detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
    this.stream.resume();
  }

  /** Whatever has arrived (at least one byte), waiting up to timeoutMs for it. */
  async read(timeoutMs: number): Promise<ReadOutcome> {
    if (this.buffered === 0) {
      if (this.stopped) return 'stopped';
      if (this.closed) return 'closed';
      const woken = await this.wait(timeoutMs);
      if (this.buffered === 0) return this.stopped ? 'stopped' : this.closed ? 'closed' : woken ? 'timeout' : 'timeout';
    }
    return this.takeAll();
  }

  /** What has arrived so far, without waiting (may be empty). */
  poll(): Uint8Array {
    return this.buffered === 0 ? new Uint8Array(0) : this.takeAll();
  }

  /** Exactly n bytes, or why not; bytes beyond n stay for the next read. */
  async readExactly(n: number, timeoutMs: number): Promise<ReadOutcome> {
    const deadline = performance.now() + timeoutMs;
    while (this.buffered < n) {
      if (this.stopped) return 'stopped';
      if (this.closed) return 'closed';
      const left = deadline - performance.now();
      if (left <= 0) return 'timeout';
      await this.wait(left);
    }
    const all = this.takeAll();
    if (all.length > n) this.unread(all.subarray(n));
    return all.subarray(0, n);
  }

  /** Waits until ms have passed since the peer's bytes last arrived (at once if they have). */
  async sinceLastArrival(ms: number): Promise<void> {
    const wait = this.lastArrivalAt + ms - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Puts bytes back in front, to be read again. */
  unread(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.unshift(bytes);
    this.buffered += bytes.length;
  }

  /** Drops what has arrived and what arrives in the next quietMs (resynchronising after a bad block). */
  async purge(quietMs: number, maxMs = 3000): Promise<void> {
    const deadline = performance.now() + maxMs;
    do {
      this.takeAll();
      if (this.stopped || this.closed) return;
    } while ((await this.wait(quietMs)) && this.buffered > 0 && performance.now() < deadline);
    this.takeAll();
  }

  /** Writes and waits until the stream has taken the bytes (its own backpressure). */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    if (this.stream.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
    });
  }

  /**
   * Writes and waits until these bytes, and everything queued before them, have been handed to
   * the port (at most timeoutMs): for the last bytes before the port is closed (CANs on
   * cancel), since closing drops what is still queued in the stream.
   */
  async writeThrough(bytes: Uint8Array, timeoutMs: number): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.stream.write(bytes, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private takeAll(): Uint8Array {
    const out = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    if (this.stream.isPaused()) this.stream.resume();
    return out;
  }

  /** Resolves true when something happened, false on timeout. */
  private wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, Math.max(0, timeoutMs));
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(true);
      };
    });
  }

  private wake(): void {
    this.waiter?.();
  }
}
