/**
 * One connection the conformance check talks through: it writes what a case sends and
 * records what comes back (the bytes, the MSP packets in them, and whether the peer
 * closed). Everything from the peer is hostile: what is kept is bounded, and every wait
 * ends at its deadline whatever the peer does.
 */
import type { Duplex } from 'node:stream';
import { MspDecoder, type Packet } from '../../../shared/msp/index.ts';

/** Bytes of the peer's replies kept per connection (a case needs a few ACKs; a flood is cut off). */
export const PROBE_MAX_BYTES = 64 * 1024;
/** Packets kept per connection. */
export const PROBE_MAX_PACKETS = 256;

export interface ProbeMark {
  packets: number;
  bytes: number;
}

export class Probe {
  /** The first PROBE_MAX_BYTES bytes the peer sent. */
  private chunks: Uint8Array[] = [];
  private keptBytes = 0;
  /** Every byte the peer sent, kept or not. */
  receivedBytes = 0;
  readonly packets: Packet[] = [];
  /** Frames the decoder rejected and bytes it skipped: what the peer sent that is not a packet. */
  badBytes = 0;
  closed = false;
  private readonly decoder = new MspDecoder();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    const onEnd = () => {
      this.closed = true;
      this.wake();
    };
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onEnd);
  }

  /** Writes bytes and resolves once they were handed to the OS (or the stream failed). */
  write(bytes: Uint8Array): Promise<void> {
    if (this.closed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.stream.write(bytes, () => resolve()));
  }

  /** Resolves true as soon as `condition` holds, false when `ms` pass first (or the peer closed and it still does not hold). */
  waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (condition()) finish(true);
        else if (this.closed) finish(false);
      };
      const timer = setTimeout(() => finish(false), ms);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Where the conversation stands now: a case looks only at what arrives after it (a serial port is shared by every case). */
  mark(): ProbeMark {
    return { packets: this.packets.length, bytes: this.keptBytes };
  }

  /** Packets received since `mark`. */
  packetsSince(mark: ProbeMark): Packet[] {
    return this.packets.slice(mark.packets);
  }

  /** Bytes received since `mark` (as far as they were kept). */
  bytesSince(mark: ProbeMark): Uint8Array {
    return this.received.subarray(mark.bytes);
  }

  /** The peer's bytes as received (at most PROBE_MAX_BYTES). */
  get received(): Uint8Array {
    if (this.chunks.length !== 1) {
      const all = new Uint8Array(this.keptBytes);
      let at = 0;
      for (const chunk of this.chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }

  close(): void {
    this.closed = true;
    this.stream.destroy();
    this.wake();
  }

  private onData(chunk: Buffer): void {
    this.receivedBytes += chunk.length;
    const room = PROBE_MAX_BYTES - this.keptBytes;
    if (room <= 0) return this.wake();
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(Uint8Array.from(kept));
    this.keptBytes += kept.length;
    for (const event of this.decoder.push(kept)) {
      if (event.kind === 'packet') {
        if (this.packets.length < PROBE_MAX_PACKETS) {
          this.packets.push({ ...event.packet, payload: event.packet.payload.slice() });
        }
      } else if (event.kind === 'skipped' || event.kind === 'suppressed') {
        this.badBytes += event.kind === 'skipped' ? event.length : event.bytes;
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}
