/** ZMODEM's view of the line: received bytes go through a ZmodemReader into a queue of events. */
import { ZmodemReader, type ZmodemEvent } from '../../../shared/modem/zmodem.ts';
import type { ModemLine } from './line.ts';

export type ChannelEvent = ZmodemEvent | { kind: 'timeout' } | { kind: 'closed' } | { kind: 'stopped' };

export class ZmodemChannel {
  private readonly events: ZmodemEvent[] = [];
  readonly reader = new ZmodemReader((event) => this.events.push(event));

  constructor(readonly line: ModemLine) {}

  /** The next event, waiting up to timeoutMs for bytes that make one. */
  async next(timeoutMs: number): Promise<ChannelEvent> {
    const deadline = performance.now() + timeoutMs;
    while (this.events.length === 0) {
      const left = deadline - performance.now();
      if (left <= 0) return { kind: 'timeout' };
      const got = await this.line.read(left);
      if (typeof got === 'string') return { kind: got };
      this.reader.feed(got);
    }
    return this.events.shift()!;
  }

  /** Events from what has already arrived, without waiting. */
  poll(): ZmodemEvent[] {
    const got = this.line.poll();
    if (got.length > 0) this.reader.feed(got);
    return this.events.splice(0);
  }

  /** Drops queued events (after asking for a resend, what was queued is stale). */
  clear(): void {
    this.events.length = 0;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.line.write(bytes);
  }
}
