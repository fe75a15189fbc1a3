import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../renderer/src/store/ringBuffer.ts';

describe('ring buffer (the log\'s bounded memory)', () => {
  it('keeps items in order until full, then drops the oldest for each new one', () => {
    const ring = new RingBuffer<number>(3);
    expect([ring.push(1), ring.push(2), ring.push(3)]).toEqual([undefined, undefined, undefined]);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect([ring.at(0), ring.at(2), ring.at(3), ring.at(-1)]).toEqual([3, 5, undefined, undefined]);
    expect(ring.size).toBe(3);
  });

  it('never holds more than its capacity, however much is pushed', () => {
    const ring = new RingBuffer<number>(1000);
    for (let i = 0; i < 250_000; i++) ring.push(i);
    expect(ring.size).toBe(1000);
    expect(ring.at(0)).toBe(249_000);
    expect(ring.at(999)).toBe(249_999);
  });

  it('clears', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
