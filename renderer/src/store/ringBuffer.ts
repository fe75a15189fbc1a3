/**
 * A bounded FIFO: pushing drops the oldest items once the buffer holds `capacity` items or,
 * when given a byte bound, once their sizes add up to more than `maxBytes`. O(1) a drop.
 */
export interface ByteBound<T> {
  maxBytes: number;
  /** What an item costs, read once when it is pushed. */
  sizeOf(item: T): number;
}

const NONE: readonly never[] = Object.freeze([]);

export class RingBuffer<T> {
  private items: Array<T | undefined>;
  private sizes: number[];
  private head = 0;
  private count = 0;
  private totalBytes = 0;

  constructor(
    readonly capacity: number,
    private readonly bound?: ByteBound<T>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    if (bound && !(bound.maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${bound.maxBytes}`);
    this.items = new Array<T | undefined>(capacity);
    this.sizes = new Array<number>(capacity).fill(0);
  }

  get size(): number {
    return this.count;
  }

  /** What the items held cost, by the byte bound's sizeOf (0 without one). */
  get bytes(): number {
    return this.totalBytes;
  }

  get maxBytes(): number {
    return this.bound?.maxBytes ?? Infinity;
  }

  /**
   * Adds an item; returns the items it pushed out, oldest first. The newest item is always
   * kept, even one that alone costs more than maxBytes.
   */
  push(item: T): readonly T[] {
    const bytes = this.bound?.sizeOf(item) ?? 0;
    let evicted: T[] | undefined;
    while (this.count > 0 && (this.count === this.capacity || this.totalBytes + bytes > this.maxBytes)) {
      (evicted ??= []).push(this.shift());
    }
    const slot = (this.head + this.count) % this.capacity;
    this.items[slot] = item;
    this.sizes[slot] = bytes;
    this.totalBytes += bytes;
    this.count++;
    return evicted ?? NONE;
  }

  /** The item at `index`, 0 being the oldest. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.capacity];
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.capacity);
    this.sizes.fill(0);
    this.head = 0;
    this.count = 0;
    this.totalBytes = 0;
  }

  toArray(): T[] {
    const out: T[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.head + i) % this.capacity] as T;
    return out;
  }

  private shift(): T {
    const oldest = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.totalBytes -= this.sizes[this.head];
    this.sizes[this.head] = 0;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return oldest;
  }
}
