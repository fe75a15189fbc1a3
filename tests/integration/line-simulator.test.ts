/**
 * The line simulator itself: pacing at the baud rate, latency, damage at the rates asked
 * for (reproducible from the seed), the cut and restore, and the same over real ptys.
 */
import { constants, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { afterEach, describe, expect, it } from 'vitest';
import { duplexPair } from '../helpers/duplex.js';
import { LineSimulator, type LineOptions } from '../helpers/line-simulator.js';
import { startPtyLine, type PtyLine } from '../helpers/line-simulator-pty.js';
import { socatSkip } from '../helpers/socat.js';
import { waitFor } from '../helpers/wait.js';

/** A line between two in-memory ends; returns the outer ends (what programs would hold). */
function line(options: LineOptions) {
  const [left, a] = duplexPair();
  const [b, right] = duplexPair();
  const sim = new LineSimulator(a, b, options);
  const received: Buffer[] = [];
  right.on('data', (d: Buffer) => received.push(d));
  return { left, right, sim, received: () => Buffer.concat(received) };
}

function pattern(n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

function differingBits(x: Buffer, y: Buffer): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    let v = x[i]! ^ y[i]!;
    while (v) {
      n += v & 1;
      v >>= 1;
    }
  }
  return n;
}

/** A program's view of a pty: tty streams poll (fs streams would block a thread in read()). */
function ttyReader(path: string): ReadStream {
  return new ReadStream(openSync(path, constants.O_RDWR | constants.O_NOCTTY));
}
function ttyWriter(path: string): WriteStream {
  return new WriteStream(openSync(path, constants.O_RDWR | constants.O_NOCTTY));
}

const sims: LineSimulator[] = [];
const ptys: PtyLine[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) s.close();
  for (const p of ptys.splice(0)) await p.close();
});

describe('line simulator', () => {
  it('paces bytes at the baud rate (10 bits a byte) and adds the latency', async () => {
    const l = line({ baud: 57600, latencyMs: 20 });
    sims.push(l.sim);
    const data = pattern(5760); // 1 s at 57600 baud, 8N1
    const start = performance.now();
    l.left.write(data);
    let firstAt = 0;
    l.right.once('data', () => (firstAt = performance.now() - start));
    await waitFor(() => l.received().length === data.length, 'all bytes', 5000);
    const elapsed = performance.now() - start;
    expect(l.received().equals(data)).toBe(true);
    expect(firstAt).toBeGreaterThanOrEqual(20);
    expect(elapsed).toBeGreaterThan(1000 * 0.95 + 20);
    expect(elapsed).toBeLessThan(1000 * 1.2 + 20);
  });

  it('holds a fast source back with backpressure instead of queueing everything', async () => {
    const l = line({ baud: 9600, fifoBytes: 256 });
    sims.push(l.sim);
    l.left.write(pattern(4096));
    await new Promise((r) => setTimeout(r, 100));
    // ~96 bytes have gone out in 100 ms; the rest waits in the source, paused.
    expect(l.sim.aToB.stats.sent).toBeLessThan(200);
    expect(l.left.isPaused() || l.left.readableLength > 0 || l.sim.aToB.busy).toBe(true);
  });

  it('flips bits, drops and duplicates bytes at the rates asked for, the same for the same seed', async () => {
    const n = 400_000;
    const data = pattern(n);
    const run = async (options: Partial<LineOptions>) => {
      const l = line({ baud: 0, ...options });
      sims.push(l.sim);
      l.left.write(data);
      await waitFor(() => l.sim.aToB.stats.sent === n && !l.sim.aToB.busy, 'line drained', 10_000);
      return { out: l.received(), stats: l.sim.aToB.stats };
    };
    const flips = await run({ bitErrorRate: 1e-3, seed: 42 });
    expect(flips.out.length).toBe(n);
    const flipped = differingBits(data, flips.out);
    expect(flipped).toBe(flips.stats.flippedBits);
    expect(flipped / (n * 8)).toBeGreaterThan(1e-3 * 0.9);
    expect(flipped / (n * 8)).toBeLessThan(1e-3 * 1.1);
    const again = await run({ bitErrorRate: 1e-3, seed: 42 });
    expect(again.out.equals(flips.out)).toBe(true);
    const other = await run({ bitErrorRate: 1e-3, seed: 43 });
    expect(other.out.equals(flips.out)).toBe(false);

    const drops = await run({ dropRate: 1e-3, seed: 1 });
    expect(drops.out.length).toBe(n - drops.stats.dropped);
    expect(drops.stats.dropped / n).toBeGreaterThan(1e-3 * 0.8);
    expect(drops.stats.dropped / n).toBeLessThan(1e-3 * 1.2);

    const dups = await run({ duplicateRate: 1e-3, seed: 1 });
    expect(dups.out.length).toBe(n + dups.stats.duplicated);
    expect(dups.stats.duplicated / n).toBeGreaterThan(1e-3 * 0.8);
    expect(dups.stats.duplicated / n).toBeLessThan(1e-3 * 1.2);
  });

  it('cuts the line at a byte count (in both directions) and carries bytes again once restored', async () => {
    const l = line({ baud: 0, cutAtByte: 1000 });
    sims.push(l.sim);
    const back: Buffer[] = [];
    l.left.on('data', (d: Buffer) => back.push(d));
    let cutSeen = false;
    l.sim.on('cut', () => (cutSeen = true));
    l.left.write(pattern(3000));
    await waitFor(() => cutSeen && l.sim.aToB.stats.sent === 3000, 'cut and all sent');
    await new Promise((r) => setTimeout(r, 20));
    expect(l.received().equals(pattern(3000).subarray(0, 1000))).toBe(true);
    expect(l.sim.aToB.stats.lostToCut).toBe(2000);
    l.right.write(Buffer.from('reply while cut'));
    await new Promise((r) => setTimeout(r, 20));
    expect(back.length).toBe(0);

    l.sim.restore();
    l.left.write(Buffer.from('after'));
    l.right.write(Buffer.from('back'));
    await waitFor(() => l.received().length === 1005 && back.length > 0, 'bytes after the restore');
    expect(l.received().subarray(1000).toString()).toBe('after');
    expect(Buffer.concat(back).toString()).toBe('back');
  });

  describe.skipIf(socatSkip.skip)(`over ptys${socatSkip.reason}`, () => {
    it('relays between two programs on ptys at the line rate, both ways', async () => {
      const pty = await startPtyLine({ baud: 115200, latencyMs: 5 });
      ptys.push(pty);
      const data = pattern(11_520); // 1 s at 115200 baud
      // Two "programs": a reader and a writer on each pty path.
      const readB = ttyReader(pty.b);
      const got: Buffer[] = [];
      readB.on('data', (d) => got.push(d as Buffer));
      const writeA = ttyWriter(pty.a);
      const start = performance.now();
      writeA.write(data);
      await waitFor(() => Buffer.concat(got).length >= data.length, 'bytes through the ptys', 10_000);
      const elapsed = performance.now() - start;
      expect(Buffer.concat(got).equals(data)).toBe(true);
      expect(elapsed).toBeGreaterThan(900);
      expect(elapsed).toBeLessThan(1500);

      const readA = ttyReader(pty.a);
      const back: Buffer[] = [];
      readA.on('data', (d) => back.push(d as Buffer));
      const writeB = ttyWriter(pty.b);
      writeB.write('pong');
      await waitFor(() => Buffer.concat(back).toString() === 'pong', 'the reply');
      for (const s of [readA, readB, writeA, writeB]) s.destroy();
    });
  });
});
