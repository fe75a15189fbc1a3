/**
 * Collects traffic events and hands them on in batches, bounded in events and in bytes
 * (shared/limits.ts): a flood of packets costs a few dozen IPC messages a second, not
 * one each, and no message is so large that the renderer freezes while it takes it in.
 *
 * A batch goes once an interval has passed, or sooner once a full batch is waiting. Main
 * cannot see how far behind the renderer is, so it paces: at most `maxBatchBytes` per
 * interval. What cannot go yet waits, at most `maxQueuedBytes`; past that the oldest waiting
 * events are dropped and the next batch starts with a `dropped` event saying how many.
 */
import {
  TRAFFIC_BATCH_INTERVAL_MS,
  TRAFFIC_BATCH_MAX_BYTES,
  TRAFFIC_BATCH_MAX_EVENTS,
  TRAFFIC_EVENT_OVERHEAD_BYTES,
  TRAFFIC_QUEUE_MAX_BYTES,
} from '../../../shared/limits.ts';
import { trafficEventBytes } from '../../../shared/ipc/trafficBytes.ts';
import type { TrafficEvent } from '../../../shared/ipc/types.ts';

export interface TrafficBudget {
  intervalMs: number;
  maxBatchEvents: number;
  /** Bytes in one batch, and sent per interval. */
  maxBatchBytes: number;
  /** Bytes waiting to be sent. */
  maxQueuedBytes: number;
}

export const DEFAULT_TRAFFIC_BUDGET: TrafficBudget = {
  intervalMs: TRAFFIC_BATCH_INTERVAL_MS,
  maxBatchEvents: TRAFFIC_BATCH_MAX_EVENTS,
  maxBatchBytes: TRAFFIC_BATCH_MAX_BYTES,
  maxQueuedBytes: TRAFFIC_QUEUE_MAX_BYTES,
};

interface Waiting {
  event: TrafficEvent;
  bytes: number;
}

export class TrafficBatcher {
  private readonly budget: TrafficBudget;
  /** Oldest first, from `head` (shifting each time would be O(n)). */
  private queue: Waiting[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** Bytes sent since the current interval began. */
  private sentBytes = 0;
  private dropped = { events: 0, bytes: 0 };
  /** Runs while anything waits or was sent this interval: each tick starts a new interval. */
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (batch: TrafficEvent[]) => void,
    budget: Partial<TrafficBudget> = {},
  ) {
    this.budget = { ...DEFAULT_TRAFFIC_BUDGET, ...budget };
  }

  push(event: TrafficEvent): void {
    const bytes = trafficEventBytes(event);
    this.queue.push({ event, bytes });
    this.queuedBytes += bytes;
    while (this.queuedBytes > this.budget.maxQueuedBytes) this.dropOldest();
    // A full batch goes at once, as far as this interval's bytes allow.
    while (this.fullBatchWaiting() && this.sendBatch()) {
      // sent one
    }
    this.timer ??= setTimeout(() => this.tick(), this.budget.intervalMs);
  }

  /**
   * Delivers what is waiting now, as far as this interval's bytes allow: called before a
   * status change so the log reads in order. Under a flood, what is over them goes in the
   * next intervals, after the status (a flush must not let a peer who comes and goes
   * quickly get past the pace).
   */
  flush(): void {
    while (this.waiting > 0 && this.sendBatch()) {
      // sent one
    }
    if (this.waiting > 0 || this.sentBytes > 0) this.timer ??= setTimeout(() => this.tick(), this.budget.intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.dropped = { events: 0, bytes: 0 };
  }

  private get waiting(): number {
    return this.queue.length - this.head;
  }

  private fullBatchWaiting(): boolean {
    return this.waiting >= this.budget.maxBatchEvents || this.queuedBytes >= this.budget.maxBatchBytes;
  }

  /** Bytes this interval can still send. */
  private room(): number {
    return Math.max(0, this.budget.maxBatchBytes - this.sentBytes);
  }

  private tick(): void {
    this.timer = undefined;
    this.sentBytes = 0;
    while (this.waiting > 0 && this.sendBatch()) {
      // sent one
    }
    if (this.waiting > 0 || this.sentBytes > 0) this.timer = setTimeout(() => this.tick(), this.budget.intervalMs);
  }

  /**
   * Sends one batch of the oldest waiting events, after the dropped marker if there is one,
   * within the batch limits and this interval's room. An interval's first batch takes at
   * least one event, so no event can wait for ever. False when nothing fitted.
   */
  private sendBatch(): boolean {
    const limit = Math.min(this.budget.maxBatchBytes, this.room());
    const marker = this.dropped.events > 0 ? this.dropped : undefined;
    const batch: TrafficEvent[] = [];
    let bytes = marker ? TRAFFIC_EVENT_OVERHEAD_BYTES : 0;
    while (this.waiting > 0 && batch.length < this.budget.maxBatchEvents) {
      const next = this.queue[this.head];
      const firstOfInterval = this.sentBytes === 0 && batch.length === 0;
      if (bytes + next.bytes > limit && !firstOfInterval) break;
      batch.push(next.event);
      bytes += next.bytes;
      this.take();
    }
    if (batch.length === 0) return false;
    if (marker) {
      batch.unshift({ kind: 'dropped', ...marker }); // where the dropped events were
      this.dropped = { events: 0, bytes: 0 };
    }
    this.sentBytes += bytes;
    this.deliver(batch);
    return true;
  }

  private dropOldest(): void {
    const { bytes } = this.take();
    this.dropped.events++;
    this.dropped.bytes += bytes;
  }

  private take(): Waiting {
    const oldest = this.queue[this.head];
    this.queue[this.head] = undefined as unknown as Waiting; // let it be collected
    this.head++;
    this.queuedBytes -= oldest.bytes;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return oldest;
  }
}
