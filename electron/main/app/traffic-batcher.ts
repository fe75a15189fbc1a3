/**
 * Collects traffic events and hands them on in batches: at most one batch per
 * `intervalMs`, or sooner once `maxBatch` events are waiting. A flood of packets costs a
 * few dozen IPC messages a second, not one each, and no single message is so large that
 * the renderer freezes while it takes it in.
 */
import type { TrafficEvent } from '../../../shared/ipc/types.ts';

export const DEFAULT_TRAFFIC_INTERVAL_MS = 33;
export const DEFAULT_MAX_BATCH = 2000;

export class TrafficBatcher {
  private pending: TrafficEvent[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (batch: TrafficEvent[]) => void,
    private readonly intervalMs = DEFAULT_TRAFFIC_INTERVAL_MS,
    private readonly maxBatch = DEFAULT_MAX_BATCH,
  ) {}

  push(event: TrafficEvent): void {
    this.pending.push(event);
    if (this.pending.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Delivers what is waiting now: called before a status change so the log reads in order. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.deliver(batch);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
