/**
 * Profiles one MSP file transfer over TCP loopback: the receiver is `msp --mode server` run
 * under `node --cpu-prof`, the sender is this process (run it with --cpu-prof too). For finding
 * where a transfer's time goes, not a figure to quote:
 *
 *   node --cpu-prof --cpu-prof-dir=DIR --import tsx tests/bench/transfer-profile.ts --mib 128 --dir DIR
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, openSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { FileTransferService } from '../../electron/main/link/services/file-transfer/file-transfer-service.ts';

const MiB = 1024 * 1024;
const { values } = parseArgs({ options: { mib: { type: 'string', default: '128' }, dir: { type: 'string', default: '' } } });
const work = mkdtempSync(join(tmpdir(), 'msp-ft-profile-'));
const source = join(work, 'source.bin');
const received = join(work, 'received');
mkdirSync(received);
const fd = openSync(source, 'w');
const block = randomFillSync(Buffer.allocUnsafe(4 * MiB));
for (let at = 0; at < Number(values.mib) * MiB; at += block.length) writeSync(fd, block);
closeSync(fd);

const bin = fileURLToPath(new URL('../../bin/msp.js', import.meta.url));
// The receiver's node flags: --cpu-prof into --dir, and any in RECEIVER_NODE_FLAGS (--trace-gc, say).
const profile = [...(values.dir ? ['--cpu-prof', `--cpu-prof-dir=${values.dir}`] : []), ...(process.env.RECEIVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
const child = spawn(process.execPath, [...profile, bin, '--mode', 'server', '--quiet', '--json', '--port', '0', '--receive-dir', received], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return void console.error(`receiver: ${line}`); // what a node flag prints
    const event = JSON.parse(line) as { event: string; port?: number };
    if (event.event === 'listening') resolve(event.port!);
  });
});
let service: FileTransferService | undefined;
const connected = await connectTcp({ host: '127.0.0.1', port, session: { autoAck: true, services: [() => (service = new FileTransferService())] } });
if (!connected.ok) throw new Error(connected.error.message);
const start = performance.now();
const cpuBefore = [cpuTimes(process.pid), cpuTimes(child.pid!), cpuTimes(process.pid, true), cpuTimes(child.pid!, true)];
const outcome = await service!.sendFile(source);
const ms = performance.now() - start;
const cpuAfter = [cpuTimes(process.pid), cpuTimes(child.pid!), cpuTimes(process.pid, true), cpuTimes(child.pid!, true)];
const mb = (Number(values.mib) * MiB) / 1e6;
const perMb = (seconds: number) => ((seconds * 1000) / mb).toFixed(2);
// CPU time per transferred MB (both threads and the thread pool): steadier than wall time on a busy machine.
console.log(
  outcome.ok
    ? `${values.mib} MiB in ${ms.toFixed(0)} ms: ${(mb / (ms / 1000)).toFixed(0)} MB/s; CPU ms per MB (user + system): ` +
      ['sender', 'receiver', 'sender main thread', 'receiver main thread'].map((who, i) => `${who} ${perMb(cpuAfter[i].user - cpuBefore[i].user)} + ${perMb(cpuAfter[i].system - cpuBefore[i].system)}`).join(', ')
    : `${outcome.error.message} (after ${ms.toFixed(0)} ms)`,
);
connected.session.close();
child.kill('SIGINT');
await once(child, 'exit');
rmSync(work, { recursive: true, force: true });
process.exit(0);

/** User and system CPU seconds of a process, all its threads, or only its main thread (Linux /proc). */
function cpuTimes(pid: number, mainThread = false): { user: number; system: number } {
  const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}
