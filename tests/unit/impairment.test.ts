/**
 * Impairment: the spec parser's verdicts, the seeded generator, and the writer's rates and
 * timing over 10,000 packets (fake clocks, so delay, jitter and rate are exact, not measured).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeImpairment, impairmentFromJson, parseImpairment, NO_IMPAIRMENT, type Impairment } from '../../shared/automation/impairment.ts';
import { seededRandom } from '../../shared/automation/prng.ts';
import { LinkImpairment } from '../../electron/main/link/impairment.ts';

const N = 10_000;

describe('parseImpairment', () => {
  it('reads every setting, in netem-like units', () => {
    const parsed = parseImpairment('delay=50ms, jitter=0.01s,rate=64kbit drop=1% corrupt=0.5%,duplicate=2%,split=10%,reorder=3%');
    expect(parsed).toEqual({
      ok: true,
      value: { delayMs: 50, jitterMs: 10, rateBitsPerSecond: 64_000, drop: 0.01, corrupt: 0.005, duplicate: 0.02, split: 0.1, reorder: 0.03 },
    });
    if (parsed.ok) expect(describeImpairment(parsed.value)).toBe('delay=50ms,jitter=10ms,rate=64000bit,drop=1%,corrupt=0.5%,duplicate=2%,split=10%,reorder=3%');
  });

  it('names what is wrong', () => {
    const message = (text: string) => {
      const parsed = parseImpairment(text);
      return parsed.ok ? 'ok' : parsed.message;
    };
    expect(message('drop=1.5x')).toMatch(/^drop=1.5x: must be a percentage/);
    expect(message('drop=101%')).toMatch(/^drop=101%/);
    expect(message('lag=5ms')).toMatch(/^unknown setting "lag"/);
    expect(message('delay')).toMatch(/not key=value/);
    expect(message('delay=5ms,delay=6ms')).toMatch(/given twice/);
    expect(message('delay=2h')).toMatch(/^delay=2h: must be a time/);
    expect(message('rate=10bit')).toMatch(/^rate=10bit/);
    expect(message('x'.repeat(5000))).toMatch(/longer than/);
  });

  it('takes the same settings as JSON; bare numbers are ms, percent and bit/s', () => {
    expect(impairmentFromJson({ delay: 20, drop: 1, rate: '1mbit' })).toEqual({ ok: true, value: { ...NO_IMPAIRMENT, delayMs: 20, drop: 0.01, rateBitsPerSecond: 1_000_000 } });
    expect(impairmentFromJson([1])).toMatchObject({ ok: false });
    expect(impairmentFromJson({ drop: { deep: true } })).toEqual({ ok: false, message: 'drop: must be a string such as "50ms" or a number' });
  });
});

describe('seededRandom', () => {
  it('repeats for a seed, differs across seeds, stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const as = Array.from({ length: 1000 }, a);
    expect(as).toEqual(Array.from({ length: 1000 }, b));
    expect(as).not.toEqual(Array.from({ length: 1000 }, c));
    expect(as.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = as.reduce((s, x) => s + x, 0) / as.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});

/** Writes N distinct packets (a 4-byte number each, plus `size` bytes) through an impaired writer; records what comes out and when. */
function run(settings: Partial<Impairment>, size = 5, seed = 1) {
  const link = new LinkImpairment({ ...NO_IMPAIRMENT, ...settings }, seed);
  const out: Array<{ at: number; bytes: Uint8Array }> = [];
  const writer = link.writer((bytes) => out.push({ at: Date.now(), bytes: Uint8Array.from(bytes) }));
  const sentAt: number[] = [];
  for (let i = 0; i < N; i++) {
    const packet = new Uint8Array(4 + size);
    new DataView(packet.buffer).setUint32(0, i);
    sentAt.push(Date.now());
    writer.write(packet);
  }
  vi.advanceTimersByTime(3_600_000);
  return { link, out, sentAt };
}

/** Within `tolerance` (absolute) of the asked-for rate: 4 standard deviations of a binomial at N is under 1.2 points for p <= 10 %. */
const near = (observed: number, expected: number, tolerance = 0.015) => expect(Math.abs(observed - expected)).toBeLessThan(tolerance);

describe('ImpairedWriter over 10,000 packets', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('drop: about the asked-for share is lost, the rest arrive in order', () => {
    const { link, out } = run({ drop: 0.1 });
    near(link.counts.dropped / N, 0.1);
    expect(out.length).toBe(N - link.counts.dropped);
    const ids = out.map((w) => new DataView(w.bytes.buffer).getUint32(0));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('corrupt: one bit flipped in about the asked-for share', () => {
    const { link, out } = run({ corrupt: 0.05 }, 0);
    near(link.counts.corrupted / N, 0.05);
    // With no payload, the 4 bytes are the index: count the writes that are not what was sent.
    let flipped = 0;
    out.forEach((w, i) => {
      const value = new DataView(w.bytes.buffer).getUint32(0);
      if (value !== i) {
        flipped++;
        expect(popcount(value ^ i)).toBe(1);
      }
    });
    expect(flipped).toBe(link.counts.corrupted);
  });

  it('duplicate: about the asked-for share arrives twice', () => {
    const { link, out } = run({ duplicate: 0.03 });
    near(link.counts.duplicated / N, 0.03);
    expect(out.length).toBe(N + link.counts.duplicated);
  });

  it('split: about the asked-for share goes in two writes that join up again', () => {
    const { link, out } = run({ split: 0.2 });
    near(link.counts.split / N, 0.2);
    expect(out.length).toBe(N + link.counts.split);
    expect(out.reduce((s, w) => s + w.bytes.length, 0)).toBe(N * 9);
  });

  it('reorder: about the asked-for share swaps with the packet after it', () => {
    const { link, out } = run({ reorder: 0.05 });
    near(link.counts.reordered / N, 0.05);
    const ids = out.map((w) => new DataView(w.bytes.buffer).getUint32(0));
    expect(ids.length).toBe(N);
    let inversions = 0;
    for (let i = 1; i < ids.length; i++) if (ids[i] < ids[i - 1]) inversions++;
    expect(inversions).toBe(link.counts.reordered);
  });

  it('delay and jitter: each packet leaves within delay ± jitter, on average at the delay, and in order', () => {
    const { out, sentAt } = run({ delayMs: 50, jitterMs: 10 });
    expect(out.length).toBe(N);
    // All were sent at the same fake instant, so order is kept by holding each behind the one before.
    const waits = out.map((w, i) => w.at - sentAt[i]);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...waits)).toBeLessThanOrEqual(61);
    const ids = out.map((w) => new DataView(w.bytes.buffer).getUint32(0));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('jitter alone spreads packets sent apart across ± jitter with a mean near the delay', () => {
    const link = new LinkImpairment({ ...NO_IMPAIRMENT, delayMs: 50, jitterMs: 10 }, 7);
    const waits: number[] = [];
    for (let i = 0; i < N; i++) {
      const sent = Date.now();
      link.writer(() => waits.push(Date.now() - sent)).write(new Uint8Array(9));
      vi.advanceTimersByTime(100);
    }
    expect(waits.length).toBe(N);
    const mean = waits.reduce((s, x) => s + x, 0) / N;
    near(mean, 50, 1); // timers fire on whole milliseconds: up to 1 ms late
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(40);
    expect(Math.min(...waits)).toBeLessThanOrEqual(41);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(59);
    expect(Math.max(...waits)).toBeLessThanOrEqual(61);
  });

  it('rate: 10,000 packets of 9 bytes at 72 kbit take 10 s', () => {
    const { out } = run({ rateBitsPerSecond: 72_000 });
    expect(out.length).toBe(N);
    expect(out[N - 1].at - out[0].at).toBeGreaterThanOrEqual(9_990);
    expect(out[N - 1].at - 1_000_000).toBeLessThanOrEqual(10_001);
  });

  it('the same seed impairs the same way', () => {
    const settings = { drop: 0.1, corrupt: 0.1, duplicate: 0.1, split: 0.1, reorder: 0.1 };
    const a = run(settings, 5, 99);
    const b = run(settings, 5, 99);
    expect(b.link.counts).toEqual(a.link.counts);
    expect(b.out.map((w) => w.bytes)).toEqual(a.out.map((w) => w.bytes));
  });
});

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x &= x - 1) c++;
  return c;
}
