/**
 * `npm run bench:mspload`: our server against the C reference server (`mspack_server`),
 * both measured by the neutral C load generator `mspload` (shared/tools/mspload), back
 * to back in the same conditions: server pinned to CPU 0, mspload to CPU 1. mspload is
 * built in a temporary directory outside the project, from its source folder.
 *
 *   npm run bench:mspload -- [--src DIR] [--rounds N] [--seconds S] [--hold N] [--junk BYTES,BYTES...]
 *
 * Prints a line per configuration and round with the ratio ours / C, and writes
 * bench-report-mspload.json.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './server-process.ts';
import { canPin, cpuSeconds, rssBytes } from './system.ts';
import { median } from './median.ts';

const { values } = parseArgs({
  options: {
    src: { type: 'string', default: process.env.MSPLOAD_SRC ?? fileURLToPath(new URL('../../../shared/tools/mspload', import.meta.url)) },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    hold: { type: 'string', default: '10000' },
    junk: { type: 'string', default: '1000000,50000000' },
    out: { type: 'string', default: 'bench-report-mspload.json' },
  },
});
const CONFIGS: Array<[conns: number, window: number]> = [
  [1, 1],
  [8, 1],
  [64, 16],
];
const seconds = Number(values.seconds);

/** A measured server: its process id and the port mspload should hit. */
interface Target {
  name: 'C' | 'ours';
  pid: number;
  port: number;
}

function build(): string {
  if (!existsSync(join(values.src, 'mspload.c'))) throw new Error(`no mspload.c in ${values.src}: pass --src DIR or set MSPLOAD_SRC`);
  const dir = mkdtempSync(join(tmpdir(), 'mspload-'));
  cpSync(values.src, dir, { recursive: true });
  execFileSync('make', ['-C', dir], { stdio: 'ignore' });
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function startC(dir: string): Promise<{ target: Target; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('taskset', ['-c', '0', join(dir, 'mspack_server'), '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`mspack_server exited (${code})`)));
  });
  return { target: { name: 'C', pid: child.pid!, port }, child };
}

/** Runs mspload pinned to CPU 1 and returns its JSON line, plus the server's CPU time and peak memory meanwhile. */
async function mspload(dir: string, target: Target, args: string[]): Promise<{ result: Record<string, number>; cpu: number; peakRss: number }> {
  const cpuBefore = cpuSeconds(target.pid);
  let peakRss = rssBytes(target.pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(target.pid))), 200);
  const child = spawn('taskset', ['-c', '1', join(dir, 'mspload'), ...args, '--host', '127.0.0.1', '--port', String(target.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  await new Promise((resolve) => child.once('close', resolve));
  clearInterval(sampler);
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  if (!out.trim()) throw new Error(`mspload ${args.join(' ')} printed nothing: ${err.trim()}`);
  return { result: JSON.parse(out) as Record<string, number>, cpu, peakRss };
}

async function main(): Promise<void> {
  if (!canPin()) throw new Error('needs taskset and two CPUs, to pin the server to CPU 0 and mspload to CPU 1');
  const dir = build();
  console.log(`mspload built in ${dir}; server on CPU 0, mspload on CPU 1, ${seconds} s per run after 1 s warm-up, 16 B payloads.`);
  const runs: unknown[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const c = await startC(dir);
    const ours = await startServer({ pinCpu: '0' });
    const targets: Target[] = [c.target, { name: 'ours', pid: ours.pid, port: ours.port }];
    try {
      for (const [conns, window] of CONFIGS) {
        const line: Record<string, unknown> = { round, conns, window };
        const parts: string[] = [];
        for (const target of targets) {
          const { result, cpu } = await mspload(dir, target, ['run', '--conns', String(conns), '--window', String(window), '--seconds', String(seconds)]);
          const cpuUsPerAck = (cpu * 1e6) / (result.acks_per_s * (seconds + 1));
          line[target.name] = { acksPerSec: Math.round(result.acks_per_s), p50Us: result.p50_us, p99Us: result.p99_us, badAcks: result.bad_acks, stalledConns: result.stalled_conns, serverCpuUsPerAck: round3(cpuUsPerAck) };
          parts.push(`${target.name} ${fmt(Math.round(result.acks_per_s)).padStart(9)}/s p50 ${String(result.p50_us).padStart(6)} p99 ${String(result.p99_us).padStart(7)} us bad ${result.bad_acks} cpu ${cpuUsPerAck.toFixed(2)} us/ACK`);
        }
        const ratio = (line.ours as { acksPerSec: number }).acksPerSec / (line.C as { acksPerSec: number }).acksPerSec;
        line.ratio = round3(ratio);
        runs.push(line);
        console.log(`round ${round} ${`${conns}x${window}`.padEnd(6)} ${parts.join(' | ')} | ours/C ${ratio.toFixed(2)}`);
      }
    } finally {
      c.child.kill();
      await ours.stop();
    }
  }

  // The machine is shared and noisy: the median over rounds says more than any one round.
  const summary: Record<string, unknown> = {};
  for (const [conns, window] of CONFIGS) {
    const mine = runs.filter((r) => (r as { conns: number; window: number }).conns === conns && (r as { window: number }).window === window) as Array<
      Record<'C' | 'ours', { acksPerSec: number; serverCpuUsPerAck: number }> & { ratio: number }
    >;
    const ratios = mine.map((r) => r.ratio).sort((a, b) => a - b);
    const cpuRatios = mine.map((r) => r.C.serverCpuUsPerAck / r.ours.serverCpuUsPerAck).sort((a, b) => a - b);
    summary[`${conns}x${window}`] = { ratioMedian: median(ratios), ratioMin: ratios[0], ratioMax: ratios.at(-1), cpuPerAckRatioMedian: round3(median(cpuRatios)) };
    console.log(
      `${`${conns}x${window}`.padEnd(6)} ours/C ACK rate: median ${median(ratios).toFixed(2)} (${ratios[0].toFixed(2)}..${ratios.at(-1)!.toFixed(2)}); C's CPU per ACK / ours: median ${median(cpuRatios).toFixed(2)}`,
    );
  }

  const hold = Number(values.hold);
  const extra: Record<string, unknown> = {};
  for (const which of ['C', 'ours'] as const) {
    const c = which === 'C' ? await startC(dir) : undefined;
    // The C reference has no per-address cap or junk budget: turn ours off to compare like with like
    // (thousands of clients from 127.0.0.1, and 50 MB of junk before the 100 DATA).
    const ours = which === 'ours' ? await startServer({ pinCpu: '0', extraArgs: ['--max-per-address', '0', '--max-junk-bytes', '0'] }) : undefined;
    const target: Target = c ? c.target : { name: 'ours', pid: ours!.pid, port: ours!.port };
    try {
      const rssBefore = rssBytes(target.pid);
      if (hold > 0) {
        const { result, peakRss } = await mspload(dir, target, ['hold', '--conns', String(hold), '--seconds', '3']);
        const perConnection = Math.round((peakRss - rssBefore) / hold);
        extra[`hold_${which}`] = { ...result, serverRssBeforeMb: mb(rssBefore), serverRssPeakMb: mb(peakRss), bytesPerConnection: perConnection };
        console.log(`hold ${which.padEnd(4)} ${result.acked}/${result.requested} ACKed, connected in ${result.seconds_to_connect} s, closed during hold ${result.closed_during_hold}; server memory ${mb(rssBefore)} -> ${mb(peakRss)} MB = ${(perConnection / 1024).toFixed(1)} KiB per connection`);
      }
      // More junk each time: the server's memory must level off, not grow with the junk.
      const junkRuns: unknown[] = [];
      for (const bytes of values.junk.split(',')) {
        const before = rssBytes(target.pid);
        const { result } = await mspload(dir, target, ['garbage', '--bytes', bytes]);
        const after = rssBytes(target.pid);
        junkRuns.push({ ...result, serverRssBeforeMb: mb(before), serverRssAfterMb: mb(after) });
        console.log(`junk ${which.padEnd(4)} ${fmt(Number(bytes))} junk bytes then 100 DATA in one send: ${result.acked}/100 ACKed; server memory ${mb(before)} -> ${mb(after)} MB`);
      }
      extra[`garbage_${which}`] = junkRuns;
    } finally {
      c?.child.kill();
      await ours?.stop();
    }
  }
  writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), seconds, runs, summary, ...extra }, null, 2) + '\n');
  console.log(`Wrote ${values.out}.`);
}

const fmt = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

main().catch((error: unknown) => {
  console.error(`bench:mspload failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
