import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrafficBatcher } from '../../electron/main/app/traffic-batcher.ts';
import {
  TRAFFIC_BATCH_MAX_BYTES,
  TRAFFIC_EVENT_OVERHEAD_BYTES,
  TRAFFIC_QUEUE_MAX_BYTES,
} from '../../shared/limits.ts';
import { trafficEventBytes } from '../../shared/ipc/trafficBytes.ts';
import type { TrafficEvent } from '../../shared/ipc/types.ts';
import { entry, packetEntry } from '../helpers/entries.ts';

const timeout = (dataId: number): TrafficEvent => ({ kind: 'ack-timeout', dataId });
/** An entry whose raw bytes are `size` long (what the budgets count, whatever is in them). */
const sized = (id: number, size: number): TrafficEvent => entry({ ...packetEntry('in', 1, ''), id, raw: new Uint8Array(size) });
const idsOf = (events: TrafficEvent[]) => events.flatMap((e) => (e.kind === 'entry' ? [e.entry.id] : []));
const bytesOf = (batch: TrafficEvent[]) => batch.reduce((sum, e) => sum + trafficEventBytes(e), 0);

afterEach(() => {
  vi.useRealTimers();
});

describe('traffic batches to the renderer', () => {
  it('events within one interval go as one batch, in order', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), { intervalMs: 33, maxBatchEvents: 1000 });
    for (let i = 0; i < 500; i++) batcher.push(timeout(i));
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(33);
    expect(batches).toHaveLength(1);
    expect(batches[0].map((e) => (e as { dataId: number }).dataId)).toEqual([...Array(500).keys()]);
  });

  it('a flood goes in batches of at most maxBatchEvents, never one message per event', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), { intervalMs: 33, maxBatchEvents: 1000 });
    for (let i = 0; i < 4500; i++) batcher.push(timeout(i));
    vi.advanceTimersByTime(33);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(batches.flat().map((e) => (e as { dataId: number }).dataId)).toEqual([...Array(4500).keys()]);
  });

  it('flush delivers at once; nothing is delivered twice or after dispose', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), { intervalMs: 33, maxBatchEvents: 1000 });
    batcher.push(timeout(1));
    batcher.flush();
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[timeout(1)]]);
    batcher.push(timeout(2));
    batcher.dispose();
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
  });
});

describe('traffic batches are bounded in bytes', () => {
  it('an event weighs its raw bytes, its plaintext and a fixed overhead', () => {
    const e = { ...packetEntry('in', 1, ''), raw: new Uint8Array(100), plaintext: new Uint8Array(40) };
    expect(trafficEventBytes(entry(e))).toBe(140 + TRAFFIC_EVENT_OVERHEAD_BYTES);
    expect(trafficEventBytes(timeout(1))).toBe(TRAFFIC_EVENT_OVERHEAD_BYTES);
  });

  it('a batch goes early once it holds the byte budget, and never carries more than it', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), { intervalMs: 33, maxBatchBytes: 10_000, maxQueuedBytes: 100_000 });
    for (let i = 0; i < 4; i++) batcher.push(sized(i, 3000 - TRAFFIC_EVENT_OVERHEAD_BYTES)); // 3,000 bytes each
    // 12,000 bytes wait: the first three (9,000) went at once, the fourth would have made 12,000.
    expect(batches.map(idsOf)).toEqual([[0, 1, 2]]);
    vi.advanceTimersByTime(33);
    expect(batches.map(idsOf)).toEqual([[0, 1, 2], [3]]);
    expect(Math.max(...batches.map(bytesOf))).toBeLessThanOrEqual(10_000);
  });

  it('paces the window: at most one batch budget of bytes per interval, the rest waits its turn', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const at: number[] = [];
    const batcher = new TrafficBatcher(
      (b) => {
        batches.push(b);
        at.push(Date.now());
      },
      { intervalMs: 33, maxBatchBytes: 10_000, maxQueuedBytes: 100_000 },
    );
    const start = Date.now();
    for (let i = 0; i < 20; i++) batcher.push(sized(i, 5000 - TRAFFIC_EVENT_OVERHEAD_BYTES)); // 100,000 bytes at once
    vi.advanceTimersByTime(33 * 12);
    expect(idsOf(batches.flat())).toEqual([...Array(20).keys()]); // nothing lost: it fit the queue
    expect(batches.map((b) => b.length)).toEqual(Array(10).fill(2));
    // One batch now, then one per interval.
    expect(at.map((t) => t - start)).toEqual([0, 33, 66, 99, 132, 165, 198, 231, 264, 297]);
  });

  it('when more waits than the queue holds, the oldest are dropped and the next batch says how many', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), { intervalMs: 33, maxBatchBytes: 10_000, maxQueuedBytes: 30_000 });
    const size = 1000;
    for (let i = 0; i < 100; i++) batcher.push(sized(i, size - TRAFFIC_EVENT_OVERHEAD_BYTES)); // 100,000 bytes at once
    vi.advanceTimersByTime(33 * 10);
    const all = batches.flat();
    // The first 10 went at once (a full batch); of the other 90, only the newest 30 fit the queue.
    expect(idsOf(all)).toEqual([...Array(10).keys(), ...Array.from({ length: 30 }, (_, i) => 70 + i)]);
    const markers = all.filter((e) => e.kind === 'dropped');
    expect(markers).toEqual([{ kind: 'dropped', events: 60, bytes: 60 * size }]);
    expect(batches[1][0]).toEqual(markers[0]); // where the dropped events would have been
    expect(Math.max(...batches.map(bytesOf))).toBeLessThanOrEqual(10_000);
  });

  it('a status change flushes what the interval\'s bytes allow; the rest follows in the next intervals, nothing lost', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), { intervalMs: 33, maxBatchBytes: 10_000, maxQueuedBytes: 100_000 });
    for (let i = 0; i < 3; i++) batcher.push(sized(i, 1000 - TRAFFIC_EVENT_OVERHEAD_BYTES));
    batcher.flush();
    expect(batches.map(idsOf)).toEqual([[0, 1, 2]]); // within the interval's bytes: at once
    for (let i = 3; i < 25; i++) batcher.push(sized(i, 1000 - TRAFFIC_EVENT_OVERHEAD_BYTES));
    expect(idsOf(batches.flat())).toEqual([...Array(10).keys()]); // the interval's 10,000 bytes are spent
    batcher.flush();
    expect(batches).toHaveLength(2); // no room: a flush cannot get past the pace
    vi.advanceTimersByTime(33);
    expect(idsOf(batches.flat())).toEqual([...Array(20).keys()]);
    vi.advanceTimersByTime(33);
    expect(idsOf(batches.flat())).toEqual([...Array(25).keys()]);
    expect(batches.flat().some((e) => e.kind === 'dropped')).toBe(false);
  });

  it('the real budgets: a flood of 65 KiB packets keeps every batch under 1 MiB and the queue under 16 MiB', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b));
    const packets = 1000; // 65 MB pushed within one interval
    for (let i = 0; i < packets; i++) batcher.push(sized(i, 65_535));
    vi.advanceTimersByTime(33 * 300);
    expect(Math.max(...batches.map(bytesOf))).toBeLessThanOrEqual(TRAFFIC_BATCH_MAX_BYTES);
    const sent = idsOf(batches.flat()).length;
    const dropped = batches.flat().reduce((n, e) => n + (e.kind === 'dropped' ? e.events : 0), 0);
    expect(sent + dropped).toBe(packets);
    // What was delivered after the first batch had waited in the queue: at most its size.
    expect((sent - batches[0].length) * (65_535 + TRAFFIC_EVENT_OVERHEAD_BYTES)).toBeLessThanOrEqual(TRAFFIC_QUEUE_MAX_BYTES);
  });
});
