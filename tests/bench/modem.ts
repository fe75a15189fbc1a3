/**
 * `npm run bench:modem`: ZMODEM on a simulated serial line (tests/helpers/line-simulator-pty.ts:
 * two ptys joined by a paced line, 8N1), printed as a fraction of the line rate:
 *   1. clean line, 115200 baud, 5 ms each way: our sender -> our receiver, lrzsz sz -> rz,
 *      and the two mixed (ours -> rz, sz -> ours), same file, same line settings;
 *   2. the same line with a bit error rate of 1e-5: a 1 MB file with ours, checked by SHA-256;
 *   3. a cut at 50 % restored 2 s later: the transfer resumes (bytes sent vs file size).
 * Not a test: figures only (exit code 1 if a transfer fails or a file differs).
 *
 *   npm run bench:modem -- [--size KB] [--ber-size KB] [--baud N] [--latency MS] [--skip-ber] [--skip-cut]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { receiveFiles, sendFiles } from '../../electron/main/modem/transfer.ts';
import type { LineOptions } from '../helpers/line-simulator.ts';
import { lineRate } from '../helpers/line-simulator.ts';
import { startPtyLine, type PtyLine } from '../helpers/line-simulator-pty.ts';
import { LRZSZ, runLrzsz } from '../helpers/lrzsz.ts';
import { closePort, openPtyPort } from '../helpers/pty-stream.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    'ber-size': { type: 'string', default: '1024' },
    baud: { type: 'string', default: '115200' },
    latency: { type: 'string', default: '5' },
    'skip-ber': { type: 'boolean', default: false },
    'skip-cut': { type: 'boolean', default: false },
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
  seconds: number;
  ok: boolean;
  note: string;
  line: PtyLine;
}

/**
 * One ZMODEM transfer of `name` across a fresh simulated line, timed until the sender is done
 * (it has the receiver's confirmation of every file). lrzsz flushes its output as it exits,
 * so sz's last "OO" is often lost and rz then waits 3 x 10 s for it: rz is not waited for
 * beyond 2 s after the sender (the file is checked instead).
 */
async function transfer(sender: Side, receiver: Side, name: string, data: Buffer, line: LineOptions, onLine?: (pty: PtyLine) => void): Promise<Run> {
  const pty = await startPtyLine(line);
  onLine?.(pty);
  const outDir = mkdtempSync(join(work, 'out-'));
  const timing = { timeoutMs: 5000, maxRetries: 20 };
  const ports: Awaited<ReturnType<typeof openPtyPort>>[] = [];
  let receiverEnd: Promise<string>;
  let stopReceiver = () => {};
  if (receiver === 'ours') {
    const port = await openPtyPort(pty.b, baud);
    ports.push(port);
    const stopper = new AbortController();
    stopReceiver = () => stopper.abort();
    receiverEnd = receiveFiles(port, 'zmodem', { dir: outDir, overwrite: false, maxFileSize: 1 << 30 }, { ...timing, signal: stopper.signal }).then((r) =>
      r.ok ? '' : r.error.message,
    );
  } else {
    const rz = runLrzsz('rz', [], pty.b, outDir);
    stopReceiver = () => rz.child.kill('SIGTERM');
    receiverEnd = rz.done.then((r) => (r.code === 0 || r.code === null ? '' : `rz exit ${r.code}: ${r.stderr.slice(-200)}`));
  }
  const start = performance.now();
  let senderEnd: Promise<string>;
  if (sender === 'ours') {
    const port = await openPtyPort(pty.a, baud);
    ports.push(port);
    senderEnd = sendFiles(port, 'zmodem', [join(work, name)], timing).then((r) => (r.ok ? '' : r.error.message));
  } else {
    const sz = runLrzsz('sz', [name], pty.a, work);
    senderEnd = sz.done.then((r) => (r.code === 0 ? '' : `sz exit ${r.code}: ${r.stderr.slice(-200)}`));
  }
  const sent = await senderEnd;
  const seconds = (performance.now() - start) / 1000;
  const timer = setTimeout(stopReceiver, 2000);
  const received = await receiverEnd;
  clearTimeout(timer);
  for (const port of ports) await closePort(port);
  const problems = [sent, received === 'Stopped.' ? '' : received].filter(Boolean);
  let note = problems.join('; ');
  let ok = sent === '';
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
  return { seconds, ok, note, line: pty };
}

function figure(label: string, bytes: number, run: Run): void {
  const rate = bytes / run.seconds;
  const fraction = rate / lineRate(baud);
  const s = run.line.line.aToB.stats;
  const r = run.line.line.bToA.stats;
  console.log(
    `  ${label.padEnd(22)} ${run.seconds.toFixed(2).padStart(7)} s  ${(rate / 1024).toFixed(2).padStart(6)} KiB/s  ${fraction.toFixed(3)} of line rate` +
      `  (sent ${s.sent} B, ${s.flippedBits + r.flippedBits} bits flipped, back ${r.sent} B)${run.ok ? '' : `  FAILED: ${run.note}`}`,
  );
}

console.log(`ZMODEM over a simulated serial line: ${baud} baud 8N1 (${lineRate(baud)} B/s), ${latencyMs} ms each way; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const size = Number(values.size);
const data = makeFile('bench.bin', size);
const clean: LineOptions = { baud, latencyMs };
console.log(`\n1. Clean line, ${size} KiB file:`);
figure('ours -> ours', data.length, await transfer('ours', 'ours', 'bench.bin', data, clean));
if (LRZSZ !== undefined) {
  figure('lrzsz sz -> rz', data.length, await transfer('lrzsz', 'lrzsz', 'bench.bin', data, clean));
  figure('ours -> lrzsz rz', data.length, await transfer('ours', 'lrzsz', 'bench.bin', data, clean));
  figure('lrzsz sz -> ours', data.length, await transfer('lrzsz', 'ours', 'bench.bin', data, clean));
} else console.log('  (lrzsz is not installed: apt-get install lrzsz)');

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
