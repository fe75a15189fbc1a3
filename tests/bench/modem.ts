/**
 * `npm run bench:modem`: ZMODEM on a simulated serial line (tests/helpers/line-simulator-pty.ts:
 * two ptys joined by a paced line, 8N1), printed as a fraction of the line rate:
 *   1. clean line, 115200 baud, 5 ms each way: our sender -> our receiver, lrzsz sz -> rz,
 *      and the two mixed (ours -> rz, sz -> ours), same file, same line settings;
 *   2. the same line with a bit error rate of 1e-5: a 1 MB file with ours, checked by SHA-256;
 *   3. a cut at 50 % restored 2 s later: the transfer resumes (bytes sent vs file size).
 * With each clean run, MSP's own file transfer (`msp --serial`, tests/bench/transfer-line.ts)
 * of the same size on the same line, timed by the sender from its offer to the verified end.
 * Not a test: figures only (exit code 1 if a transfer fails or a file differs).
 *
 *   npm run bench:modem -- [--size KB] [--ber-size KB] [--baud N] [--latency MS] [--skip-ber] [--skip-cut] [--skip-msp]
 *                          [--trace] [--runs N] [--only ours-ours,sz-rz,ours-rz,sz-ours]
 *
 * --trace prints each clean transfer's timeline (tests/helpers/zmodem-trace.ts): every frame
 * both ways and every stretch the sender's way stood idle. --runs N repeats the clean line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { MSP_BIN } from '../helpers/cli.ts';
import type { LineOptions } from '../helpers/line-simulator.ts';
import { lineRate } from '../helpers/line-simulator.ts';
import { startPtyLine, type PtyLine } from '../helpers/line-simulator-pty.ts';
import { LRZSZ, runLrzsz } from '../helpers/lrzsz.ts';
import { ZFrame, ZmodemReader } from '../../shared/modem/zmodem.ts';
import { traceZmodem } from '../helpers/zmodem-trace.ts';
import { lineTransfer } from './transfer-line.ts';
import { median } from './median.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    'ber-size': { type: 'string', default: '1024' },
    baud: { type: 'string', default: '115200' },
    latency: { type: 'string', default: '5' },
    'skip-ber': { type: 'boolean', default: false },
    'skip-cut': { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    'skip-msp': { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string', default: '1' },
  },
});
const baud = Number(values.baud);
const latencyMs = Number(values.latency);
const work = mkdtempSync(join(tmpdir(), 'msp-bench-modem-'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let failed = false;

function makeFile(name: string, kib: number): Buffer {
  const data = randomBytes(kib * 1024);
  writeFileSync(join(work, name), data);
  return data;
}

type Side = 'ours' | 'lrzsz';
interface Run {
  /** To the sender's ZFIN arriving. */
  seconds: number;
  /** To the sender's last byte arriving ("OO" if it got there). */
  lastByteSeconds: number;
  ok: boolean;
  note: string;
  line: PtyLine;
  trace?: string | undefined;
}

/**
 * One ZMODEM transfer of `name` across a fresh simulated line. Each end is its own process
 * (`msp --mode send|receive` or lrzsz's sz/rz), as on two machines. The sender starts once the
 * receiver has greeted (its first ZRINIT on the line), so the receiver's start-up never counts.
 * Timed on the line, from the sender's first byte to its ZFIN arriving (the receiver has
 * confirmed every file and the session is over), and also to the last byte it sent arriving:
 * the "OO" that follows the receiver's answering ZFIN. lrzsz's sz writes its "OO" as it exits
 * without waiting for it to leave, so it is usually lost (and rz then waits 3 x 10 s for it):
 * sz's last byte is mostly its ZFIN, ours the "OO" a round trip later. The receiver is not
 * waited for beyond 2 s after the sender (the file is checked instead).
 */
async function transfer(sender: Side, receiver: Side, name: string, data: Buffer, line: LineOptions, onLine?: (pty: PtyLine) => void): Promise<Run> {
  const pty = await startPtyLine(line);
  onLine?.(pty);
  const trace = values.trace && !line.bitErrorRate && line.cutAtByte === undefined ? traceZmodem(pty.line.a, pty.line.b, lineRate(baud), latencyMs) : undefined;
  const outDir = mkdtempSync(join(work, 'out-'));
  const receiving =
    receiver === 'ours'
      ? spawnEnd(process.execPath, [MSP_BIN, '--mode', 'receive', '--serial', pty.b, '--baud', String(baud), '--protocol', 'zmodem', '--receive-dir', outDir, '--quiet'], outDir)
      : spawnEnd('rz', [], outDir, pty.b);
  // The receiver is up once it greets; its greeting then lies stale at the sender's port
  // (each sender drops what is waiting when it opens the port), 100 ms to let it get there.
  const greeted = await Promise.race([once(pty.line.b, 'data').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
  if (!greeted) console.log(`  (the ${receiver} receiver did not greet within 30 s)`);
  await new Promise((r) => setTimeout(r, 100));
  let firstByte = 0;
  pty.line.a.once('data', () => (firstByte = performance.now()));
  let zfinAt = 0;
  const arrivals = new ZmodemReader((event) => {
    if (event.kind === 'header' && event.type === ZFrame.ZFIN) zfinAt = performance.now();
  });
  pty.line.aToB.on('delivered', (bytes: Buffer) => arrivals.feed(bytes));
  const sending =
    sender === 'ours'
      ? spawnEnd(process.execPath, [MSP_BIN, '--mode', 'send', '--serial', pty.a, '--baud', String(baud), '--protocol', 'zmodem', name, '--quiet'], work)
      : spawnEnd('sz', [name], work, pty.a);
  const sent = await sending.done;
  const seconds = ((zfinAt || pty.line.aToB.lastDeliveredAt) - firstByte) / 1000;
  const lastByteSeconds = (pty.line.aToB.lastDeliveredAt - firstByte) / 1000;
  const timer = setTimeout(() => receiving.child.kill('SIGTERM'), 2000);
  await receiving.done;
  clearTimeout(timer);
  let note = sent.code === 0 ? '' : `sender exit ${sent.code}: ${sent.stderr.slice(-300)}`;
  let ok = sent.code === 0;
  try {
    if (sha256(readFileSync(join(outDir, name))) !== sha256(data)) {
      ok = false;
      note += ' file differs';
    }
  } catch {
    ok = false;
    note += ' file missing';
  }
  await pty.close();
  if (!ok) failed = true;
  return { seconds, lastByteSeconds, ok, note, line: pty, trace: trace?.report() };
}

/** A program with its stdin/stdout on `port` (lrzsz), or with its own --serial (ours). */
function spawnEnd(program: string, args: string[], cwd: string, port?: string) {
  if (port) return runLrzsz(program as 'sz' | 'rz', args, port, cwd);
  const child = spawn(program, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, done: once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr })) };
}

function figure(label: string, bytes: number, run: Run): Run {
  const rate = bytes / run.seconds;
  const fraction = rate / lineRate(baud);
  const s = run.line.line.aToB.stats;
  const r = run.line.line.bToA.stats;
  console.log(
    `  ${label.padEnd(22)} ${run.seconds.toFixed(3).padStart(7)} s  ${(rate / 1024).toFixed(2).padStart(6)} KiB/s  ${fraction.toFixed(4)} of line rate` +
      `  (last byte +${Math.abs(Math.round((run.lastByteSeconds - run.seconds) * 1000))} ms; sent ${s.sent} B, ${s.flippedBits + r.flippedBits} bits flipped, back ${r.sent} B)${run.ok ? '' : `  FAILED: ${run.note}`}`,
  );
  if (run.trace) console.log(run.trace);
  return run;
}

console.log(`ZMODEM over a simulated serial line: ${baud} baud 8N1 (${lineRate(baud)} B/s), ${latencyMs} ms each way; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const size = Number(values.size);
const data = makeFile('bench.bin', size);
const clean: LineOptions = { baud, latencyMs };
const pairs: [string, Side, Side][] = [
  ['ours -> ours', 'ours', 'ours'],
  ['lrzsz sz -> rz', 'lrzsz', 'lrzsz'],
  ['ours -> lrzsz rz', 'ours', 'lrzsz'],
  ['lrzsz sz -> ours', 'lrzsz', 'ours'],
];
if (LRZSZ === undefined) console.log('  (lrzsz is not installed: apt-get install lrzsz)');
const runs = Number(values.runs);
const timings = new Map<string, { seconds: number[]; last: number[] }>();
for (let run = 1; run <= runs; run++) {
  console.log(`\n1. Clean line, ${size} KiB file${runs > 1 ? ` (run ${run} of ${runs}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')})` : ''}:`);
  for (const [label, sender, receiver] of pairs) {
    if (LRZSZ === undefined && (sender === 'lrzsz' || receiver === 'lrzsz')) continue;
    if (values.only !== undefined && !values.only.split(',').includes(`${sender === 'ours' ? 'ours' : 'sz'}-${receiver === 'ours' ? 'ours' : 'rz'}`)) continue;
    const result = figure(label, data.length, await transfer(sender, receiver, 'bench.bin', data, clean));
    const t = timings.get(label) ?? { seconds: [], last: [] };
    if (result.ok) {
      t.seconds.push(result.seconds);
      t.last.push(result.lastByteSeconds);
    }
    timings.set(label, t);
  }
  if (!values['skip-msp']) {
    const msp = await lineTransfer(clean, data.length);
    const seconds = msp.ms / 1000;
    console.log(
      `  ${'MSP native'.padEnd(22)} ${seconds.toFixed(3).padStart(7)} s  ${(data.length / seconds / 1024).toFixed(2).padStart(6)} KiB/s  ${(data.length / seconds / lineRate(baud)).toFixed(4)} of line rate` +
        `  (msp --serial client -> server, offer to verified)${msp.verified ? '' : '  FAILED: not verified'}`,
    );
    if (!msp.verified) failed = true;
    const t = timings.get('MSP native') ?? { seconds: [], last: [] };
    if (msp.verified) {
      t.seconds.push(seconds);
      t.last.push(seconds);
    }
    timings.set('MSP native', t);
  }
}
if (runs > 1) {
  console.log(`\n   Median of ${runs} runs (to the sender's ZFIN arriving; to its last byte arriving):`);
  for (const [label, t] of timings) {
    if (t.seconds.length === 0) continue;
    const s = median(t.seconds);
    const l = median(t.last);
    console.log(`  ${label.padEnd(22)} ${s.toFixed(3).padStart(7)} s  ${(data.length / s / lineRate(baud)).toFixed(4)} of line rate;  last byte ${l.toFixed(3)} s  ${(data.length / l / lineRate(baud)).toFixed(4)}`);
  }
}

if (!values['skip-ber']) {
  const berSize = Number(values['ber-size']);
  const big = makeFile('ber.bin', berSize);
  console.log(`\n2. Bit error rate 1e-5, ${berSize} KiB file (SHA-256 checked):`);
  figure('ours -> ours', big.length, await transfer('ours', 'ours', 'ber.bin', big, { ...clean, bitErrorRate: 1e-5, seed: 1 }));
}

if (!values['skip-cut']) {
  console.log(`\n3. Cut at 50 % of a ${size} KiB file, restored after 2 s:`);
  const cut = (pty: PtyLine) => pty.line.on('cut', () => setTimeout(() => pty.line.restore(), 2000));
  figure('ours -> ours', data.length, await transfer('ours', 'ours', 'bench.bin', data, { ...clean, cutAtByte: data.length / 2 }, cut));
  if (LRZSZ !== undefined) figure('lrzsz sz -> rz', data.length, await transfer('lrzsz', 'lrzsz', 'bench.bin', data, { ...clean, cutAtByte: data.length / 2 }, cut));
}

rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
