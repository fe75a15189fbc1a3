import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrafficBatcher } from '../../electron/main/app/traffic-batcher.ts';
import type { TrafficEvent } from '../../shared/ipc/types.ts';

const timeout = (dataId: number): TrafficEvent => ({ kind: 'ack-timeout', dataId });

afterEach(() => {
  vi.useRealTimers();
});

describe('traffic batches to the renderer', () => {
  it('events within one interval go as one batch, in order', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), 33, 1000);
    for (let i = 0; i < 500; i++) batcher.push(timeout(i));
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(33);
    expect(batches).toHaveLength(1);
    expect(batches[0].map((e) => (e as { dataId: number }).dataId)).toEqual([...Array(500).keys()]);
  });

  it('a flood goes in batches of at most maxBatch, never one message per event', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), 33, 1000);
    for (let i = 0; i < 4500; i++) batcher.push(timeout(i));
    vi.advanceTimersByTime(33);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(batches.flat().map((e) => (e as { dataId: number }).dataId)).toEqual([...Array(4500).keys()]);
  });

  it('flush delivers at once; nothing is delivered twice or after dispose', () => {
    vi.useFakeTimers();
    const batches: TrafficEvent[][] = [];
    const batcher = new TrafficBatcher((b) => batches.push(b), 33, 1000);
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
