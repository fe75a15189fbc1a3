import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../renderer/src/store/ringBuffer.ts';

describe('ring buffer (the log\'s bounded memory)', () => {
  it('keeps items in order until full, then drops the oldest for each new one', () => {
    const ring = new RingBuffer<number>(3);
    expect([ring.push(1), ring.push(2), ring.push(3)]).toEqual([[], [], []]);
    expect(ring.push(4)).toEqual([1]);
    expect(ring.push(5)).toEqual([2]);
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
    expect(() => new RingBuffer(10, { maxBytes: 0, sizeOf: () => 1 })).toThrow(RangeError);
  });
});

describe('ring buffer bounded in bytes', () => {
  const bySize = (maxBytes: number) => new RingBuffer<string>(1000, { maxBytes, sizeOf: (s) => s.length });

  it('drops the oldest items, as many as it takes, once their sizes add up to more than maxBytes', () => {
    const ring = bySize(10);
    expect([ring.push('aaa'), ring.push('bbb'), ring.push('ccc')]).toEqual([[], [], []]);
    expect(ring.bytes).toBe(9);
    expect(ring.push('dddddd')).toEqual(['aaa', 'bbb']); // 3 + 6 fits, 9 + 6 does not
    expect(ring.toArray()).toEqual(['ccc', 'dddddd']);
    expect(ring.bytes).toBe(9);
    expect(ring.push('e')).toEqual([]);
    expect(ring.bytes).toBe(10);
  });

  it('always keeps the newest item, even one larger than the bound alone', () => {
    const ring = bySize(10);
    ring.push('aa');
    expect(ring.push('x'.repeat(50))).toEqual(['aa']);
    expect([ring.size, ring.bytes]).toEqual([1, 50]);
    expect(ring.push('b')).toEqual(['x'.repeat(50)]);
    expect([ring.size, ring.bytes]).toEqual([1, 1]);
  });

  it('whichever bound is reached first applies: count for small items, bytes for large ones', () => {
    const ring = new RingBuffer<string>(3, { maxBytes: 100, sizeOf: (s) => s.length });
    for (const s of ['a', 'b', 'c', 'd']) ring.push(s);
    expect(ring.toArray()).toEqual(['b', 'c', 'd']);
    expect(ring.push('y'.repeat(99))).toEqual(['b', 'c']);
    expect(ring.toArray()).toEqual(['d', 'y'.repeat(99)]);
  });

  it('never holds more than maxBytes over a long random run, and its byte count stays exact', () => {
    const ring = bySize(1000);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      ring.push('z'.repeat(1 + Math.floor(random() * 200)));
      expect(ring.bytes).toBeLessThanOrEqual(1000);
    }
    expect(ring.bytes).toBe(ring.toArray().reduce((n, s) => n + s.length, 0));
    ring.clear();
    expect([ring.size, ring.bytes]).toEqual([0, 0]);
  });
});
