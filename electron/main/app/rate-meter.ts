/** Packets and bytes per second each way, and the ACK round-trip statistics, for the rates panel. */
import type { RateSample } from '../../../shared/ipc/types.ts';

/** RTTs kept for min/avg/p99: the most recent ones, so memory stays bounded on a long run. */
export const RTT_WINDOW = 10_000;

export class RateMeter {
  private packetsIn = 0;
  private packetsOut = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private lastTick: number;
  private readonly rtts: number[] = [];
  private rttNext = 0;

  constructor(now = Date.now()) {
    this.lastTick = now;
  }

  countIn(bytes: number, packets: number): void {
    this.bytesIn += bytes;
    this.packetsIn += packets;
  }

  countOut(bytes: number, packets: number): void {
    this.bytesOut += bytes;
    this.packetsOut += packets;
  }

  recordRtt(ms: number): void {
    if (this.rtts.length < RTT_WINDOW) this.rtts.push(ms);
    else this.rtts[this.rttNext] = ms;
    this.rttNext = (this.rttNext + 1) % RTT_WINDOW;
  }

  /** The rates since the previous tick; counters restart. */
  tick(now = Date.now()): RateSample {
    const seconds = Math.max((now - this.lastTick) / 1000, 0.001);
    const sample: RateSample = {
      at: now,
      packetsInPerSec: this.packetsIn / seconds,
      packetsOutPerSec: this.packetsOut / seconds,
      bytesInPerSec: this.bytesIn / seconds,
      bytesOutPerSec: this.bytesOut / seconds,
      rtt: this.rttStats(),
    };
    this.packetsIn = this.packetsOut = this.bytesIn = this.bytesOut = 0;
    this.lastTick = now;
    return sample;
  }

  private rttStats(): RateSample['rtt'] {
    const n = this.rtts.length;
    if (n === 0) return null;
    const sorted = Float64Array.from(this.rtts).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    // Nearest-rank percentile: the smallest value with at least 99% of samples at or below it.
    const p99 = sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)];
    return { count: n, minMs: sorted[0], avgMs: sum / n, p99Ms: p99 };
  }
}
