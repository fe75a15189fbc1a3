/**
 * Latency histogram with log buckets: 32 per power of two, so a percentile is within
 * about 1.6% (the same scheme as mspload). Values are whole nanoseconds.
 */
const SUB_BUCKETS = 32;
const SUB_BITS = 5;
const BUCKETS = 64 * SUB_BUCKETS;

export class LatencyHistogram {
  readonly counts: Uint32Array;
  total = 0;
  maxNs = 0;

  constructor(counts?: Uint32Array) {
    this.counts = counts ?? new Uint32Array(BUCKETS);
    for (const c of this.counts) this.total += c;
  }

  record(ns: number): void {
    const v = Math.max(0, Math.round(ns));
    this.counts[bucketOf(v)]++;
    this.total++;
    if (v > this.maxNs) this.maxNs = v;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
    this.maxNs = Math.max(this.maxNs, other.maxNs);
  }

  /** The value below which a fraction `p` (0..1) of the samples lie, in microseconds. */
  percentileUs(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(p * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(valueOf(i), this.maxNs) / 1000;
    }
    return this.maxNs / 1000;
  }
}

/**
 * Values under 32 get a bucket each. Above, a value with highest bit e falls into one of
 * 32 buckets of width 2^(e-5): index (e-5)*32 + (its top six bits, 32..63).
 */
function bucketOf(v: number): number {
  if (v < SUB_BUCKETS) return v;
  const shift = Math.floor(Math.log2(v)) - SUB_BITS;
  const top = Math.floor(v / 2 ** shift); // 32..63
  return Math.min(BUCKETS - 1, shift * SUB_BUCKETS + top);
}

/** The middle of a bucket's range. */
function valueOf(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const shift = Math.floor(index / SUB_BUCKETS) - 1;
  const top = (index % SUB_BUCKETS) + SUB_BUCKETS;
  return (top + 0.5) * 2 ** shift;
}
