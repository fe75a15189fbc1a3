/**
 * Collects traffic events and hands them on in batches, at most one batch per
 * `intervalMs`: a flood of packets costs a few IPC messages a second, not one each.
 */
import type { TrafficEvent } from '../../../shared/ipc/types.ts';

export const DEFAULT_TRAFFIC_INTERVAL_MS = 33;

export class TrafficBatcher {
  private pending: TrafficEvent[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (batch: TrafficEvent[]) => void,
    private readonly intervalMs = DEFAULT_TRAFFIC_INTERVAL_MS,
  ) {}

  push(event: TrafficEvent): void {
    this.pending.push(event);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
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
