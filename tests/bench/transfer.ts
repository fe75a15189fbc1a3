/**
 * `npm run bench:transfer`: MSP file transfer against raw TCP copies of the same file in the
 * same run (a Node pipe: file → socket → file in one process, no framing, no checks; and
 * `socat` at both ends, two processes like MSP's, when socat is installed), and the receiver's
 * resident memory while it receives files of growing size (it streams to disk, so it must not
 * grow with them). The receiver is the real `msp --mode server --quiet --receive-dir`, in its
 * own process; the sender is the FileTransferService in this process. Prints figures; asserts nothing.
 *
 *   npm run bench:transfer -- [--mib N] [--rounds N]     (default 256 MiB, 5 rounds)
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { FileTransferService } from '../../electron/main/link/services/file-transfer/file-transfer-service.ts';
import type { TransferEvent } from '../../shared/file-transfer/events.ts';
import { spawn } from 'node:child_process';
import { startServer } from './server-process.ts';
import { SOCAT } from '../helpers/socat.ts';
import { lineFigures } from './transfer-line.ts';
import { median } from './median.ts';

const MiB = 1024 * 1024;

export interface TransferFigures {
  mib: number;
  /** Rounds: each runs the Node pipe, socat and MSP once, in turn. */
  rounds: number;
  /** Best of the rounds; the medians follow. */
  rawMBps: number;
  socatMBps: number | undefined;
  mspMBps: number;
  /** From the sender's start, its SHA-256 pass over the file (for the offer) included. */
  mspWithHashMBps: number;
  ratio: number;
  median: { rawMBps: number; socatMBps: number | undefined; mspMBps: number; mspWithHashMBps: number; ratio: number };
  rss: Array<{ mib: number; peakRssMiB: number }>;
}

function makeFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const block = Buffer.allocUnsafe(4 * MiB);
  randomFillSync(block);
  for (let at = 0; at < bytes; at += block.length) {
    block.writeUInt32LE(at >>> 0, 0); // every block different
    writeSync(fd, block, 0, Math.min(block.length, bytes - at));
  }
  closeSync(fd);
}

/** The file through a bare TCP socket into a file: the ceiling for any protocol on this machine. */
async function rawCopy(source: string, target: string): Promise<number> {
  const server = createServer((socket) => socket.pipe(createWriteStream(target)).on('finish', () => server.emit('copied')));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const start = performance.now();
  const socket = connect({ port, host: '127.0.0.1' });
  createReadStream(source, { highWaterMark: MiB }).pipe(socket);
  await once(server, 'copied');
  const ms = performance.now() - start;
  server.close();
  return ms;
}

/** The file through socat to socat (each its own process, 64 KiB reads, like Node's), timed from the sender's start. */
async function socatCopy(socat: string, source: string, target: string): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as { port: number }).port;
  probe.close();
  const receiver = spawn(socat, ['-d', '-d', '-u', '-b', '65536', `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`, `CREATE:${target}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let said = '';
    receiver.stderr!.on('data', (data: Buffer) => {
      said += data.toString();
      if (said.includes('listening on')) resolve();
    });
    receiver.once('exit', (code) => reject(new Error(`socat exited (${code}) before listening: ${said}`)));
  });
  const exited = once(receiver, 'exit');
  const start = performance.now();
  const sender = spawn(socat, ['-u', '-b', '65536', `OPEN:${source}`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
  await Promise.all([exited, once(sender, 'exit')]);
  return performance.now() - start;
}

/** One MSP transfer to a receiving server process; returns the times and the receiver's peak RSS. */
async function mspCopy(source: string, receiveDir: string): Promise<{ totalMs: number; transferMs: number; peakRss: number }> {
  const server = await startServer({ extraArgs: ['--receive-dir', receiveDir, '--overwrite'] });
  let peakRss = server.rssBytes();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssBytes())), 20);
  let service: FileTransferService | undefined;
  let startedAt = 0;
  const onEvent = (event: TransferEvent) => {
    if (event.kind === 'started') startedAt = performance.now();
  };
  const connected = await connectTcp({ host: '127.0.0.1', port: server.port, session: { autoAck: true, services: [() => (service = new FileTransferService({ onEvent }))] } });
  if (!connected.ok) throw new Error(connected.error.message);
  const start = performance.now();
  const outcome = await service!.sendFile(source);
  const end = performance.now();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, server.rssBytes());
  connected.session.close();
  await server.stop();
  if (!outcome.ok) throw new Error(outcome.error.message);
  return { totalMs: end - start, transferMs: end - startedAt, peakRss };
}

export async function transferFigures(mib: number, rounds = 3, print = console.log): Promise<TransferFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'msp-bench-transfer-'));
  try {
    const source = join(dir, 'source.bin');
    const receiveDir = join(dir, 'received');
    writeFileSync(join(dir, '.keep'), '');
    rmSync(receiveDir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(receiveDir));
    makeFile(source, mib * MiB);
    // Warm the page cache and both paths once, untimed.
    await rawCopy(source, join(dir, 'raw.bin'));
    // The three copies take turns, so a machine that is faster or slower for a while (a VM's
    // memory and CPU come and go) weighs on each alike; best and median of the rounds.
    const raw: number[] = [];
    const socat: number[] = [];
    const msp: Array<{ totalMs: number; transferMs: number }> = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(await rawCopy(source, join(dir, 'raw.bin')));
      if (SOCAT) socat.push(await socatCopy(SOCAT, source, join(dir, 'raw.bin')));
      msp.push(await mspCopy(source, receiveDir));
    }
    rmSync(join(dir, 'raw.bin'));
    const bytes = mib * MiB;
    const rate = (ms: number) => bytes / 1e6 / (ms / 1000);
    const rawMBps = rate(Math.min(...raw));
    const socatMBps = SOCAT ? rate(Math.min(...socat)) : undefined;
    const mspMBps = rate(Math.min(...msp.map((m) => m.transferMs)));
    const mspWithHashMBps = rate(Math.min(...msp.map((m) => m.totalMs)));
    const mid = {
      rawMBps: rate(median(raw)),
      socatMBps: SOCAT ? rate(median(socat)) : undefined,
      mspMBps: rate(median(msp.map((m) => m.transferMs))),
      mspWithHashMBps: rate(median(msp.map((m) => m.totalMs))),
    };
    const of = (mspRate: number, rawRate: number, socatRate: number | undefined) =>
      `${(mspRate / rawRate).toFixed(2)} of the Node pipe` + (socatRate !== undefined ? `, ${(mspRate / socatRate).toFixed(2)} of socat` : '');
    print(`  ${rounds} rounds, each: the Node pipe, socat, MSP; best (median)`);
    print(`  raw TCP copy (Node pipe, file to file): ${rawMBps.toFixed(0)} (${mid.rawMBps.toFixed(0)}) MB/s`);
    if (socatMBps !== undefined) print(`  raw TCP copy (socat to socat, two processes): ${socatMBps.toFixed(0)} (${mid.socatMBps!.toFixed(0)}) MB/s`);
    else print('  raw TCP copy with socat: not measured (socat is not installed)');
    print(`  MSP file transfer, from accept to verified: ${mspMBps.toFixed(0)} (${mid.mspMBps.toFixed(0)}) MB/s`);
    print(`    best: ${of(mspMBps, rawMBps, socatMBps)}; median: ${of(mid.mspMBps, mid.rawMBps, mid.socatMBps)}`);
    print(`  MSP including the sender's SHA-256 pass before the offer: ${mspWithHashMBps.toFixed(0)} (${mid.mspWithHashMBps.toFixed(0)}) MB/s`);
    print(`    best: ${of(mspWithHashMBps, rawMBps, socatMBps)}; median: ${of(mid.mspWithHashMBps, mid.rawMBps, mid.socatMBps)}`);
    // The receiver's peak RSS for growing files: streaming means it stays flat.
    const rss: TransferFigures['rss'] = [];
    for (const size of [Math.max(1, mib / 16), Math.max(2, mib / 4), mib]) {
      const file = join(dir, `rss-${size}.bin`);
      makeFile(file, size * MiB);
      const run = await mspCopy(file, receiveDir);
      rmSync(file);
      rss.push({ mib: size, peakRssMiB: run.peakRss / MiB });
      print(`  receiver peak RSS receiving ${size} MiB: ${(run.peakRss / MiB).toFixed(1)} MiB`);
    }
    return { mib, rounds, rawMBps, socatMBps, mspMBps, mspWithHashMBps, ratio: mspMBps / rawMBps, median: { ...mid, ratio: mid.mspMBps / mid.rawMBps }, rss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run as a script (npm run bench:transfer), not when run.ts imports it.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { mib: { type: 'string', default: '256' }, rounds: { type: 'string', default: '5' }, 'no-line': { type: 'boolean', default: false }, 'line-only': { type: 'boolean', default: false } } });
  const run = async () => {
    if (!values['line-only']) {
      console.log(`MSP file transfer over TCP loopback, ${values.mib} MiB:`);
      await transferFigures(Number(values.mib), Number(values.rounds));
    }
    if (!values['no-line']) {
      console.log('MSP file transfer over the line simulator (msp --serial on two ptys):');
      await lineFigures();
    }
  };
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
