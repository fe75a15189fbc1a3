/**
 * Where a file receiver keeps chunks between the wire and the disk: one buffer per transfer,
 * used as a ring. The session lends a chunk's bytes only for the call that delivers them, so
 * each chunk is copied in here and the write gets a view; its room comes back once written.
 * (Keeping each 64 KiB chunk as its own allocation until its write made it outlive a young
 * GC, and the receiver spent about a sixth of its time in major GCs.)
 *
 * Regions are given back in the order they were taken, as writes finish in file order.
 */
export class StagingRing {
  private readonly buffer: Buffer;
  /** Regions held, oldest first: [start, end) pairs. */
  private readonly regions: number[] = [];
  private first = 0;
  /** Where the next region goes. */
  private tail = 0;

  /**
   * `capacity`: the receiver's window plus one chunk (what a wrap may leave unused at the
   * end), or the bytes left to receive if fewer: then it never wraps.
   */
  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1, capacity));
  }

  /** Regions held now. */
  get count(): number {
    return (this.regions.length - this.first) / 2;
  }

  /** A copy of `bytes` in the ring, or undefined when there is no room for it. */
  put(bytes: Uint8Array): Uint8Array | undefined {
    const n = bytes.length;
    if (n === 0) return new Uint8Array(0);
    const at = this.placeFor(n);
    if (at < 0) return undefined;
    this.buffer.set(bytes, at);
    this.regions.push(at, at + n);
    this.tail = at + n;
    return this.buffer.subarray(at, at + n);
  }

  /** Gives back the `n` oldest regions (their writes are done). */
  release(n: number): void {
    this.first = Math.min(this.first + 2 * n, this.regions.length);
    if (this.first === this.regions.length) {
      // Empty: start again at the front, so a ring as big as the file never wraps.
      this.regions.length = 0;
      this.first = 0;
      this.tail = 0;
    } else if (this.first > 1024) {
      this.regions.splice(0, this.first);
      this.first = 0;
    }
  }

  private placeFor(n: number): number {
    const size = this.buffer.length;
    if (this.count === 0) return n <= size ? 0 : -1;
    const head = this.regions[this.first];
    if (this.tail > head) {
      // Held bytes run from head to tail: room after tail, or wrap to the front before head.
      if (size - this.tail >= n) return this.tail;
      return head >= n ? 0 : -1;
    }
    // Wrapped: held bytes run from head to the end and from the front to tail.
    return head - this.tail >= n ? this.tail : -1;
  }
}
