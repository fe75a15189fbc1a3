/**
 * MSP file transfer over the line simulator (tests/helpers/line-simulator-pty.ts): the real
 * `msp --serial` responder with --receive-dir and the real `msp --serial --send-file` client,
 * on two ptys joined by a simulated 115200-baud cable with 5 ms latency. Three runs: a clean
 * line (rate against the line rate), a bit error rate of 1e-5 (a 1 MB file must verify), and
 * a cut at 50 % (the sender is stopped, the line restored, the sender run again: it must resume).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, stopAllClis, type CliEvent } from '../helpers/cli-process.ts';
import { lineRate, type LineOptions } from '../helpers/line-simulator.ts';
import { startPtyLine } from '../helpers/line-simulator-pty.ts';

const BAUD = 115_200;
const LINE = ['--baud', String(BAUD)];

export interface LineFigures {
  cleanBytesPerSec: number;
  cleanRatio: number;
  berSeconds: number;
  berVerified: boolean;
  cutResumedFrom: number;
  cutVerified: boolean;
}

/**
 * One MSP file transfer of `bytes` random bytes over a fresh simulated line; `ms` is the
 * sender's own figure, from its offer to the receiver's verified answer.
 */
export async function lineTransfer(options: LineOptions, bytes: number, onSender?: (events: CliEvent[], stop: () => Promise<void>) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'msp-line-bench-'));
  const rx = join(dir, 'rx');
  mkdirSync(rx);
  const source = join(dir, 'file.bin');
  writeFileSync(source, randomBytes(bytes));
  const line = await startPtyLine(options);
  try {
    const responder = await startCli(['--mode', 'server', '--serial', line.a, ...LINE, '--quiet', '--receive-dir', rx], (e) => e.event === 'open');
    const send = () => startCli(['--mode', 'client', '--serial', line.b, ...LINE, '--timeout', '30', '--send-file', source], (e) => e.event === 'transfer-started' || e.event === 'transfer-failed');
    let sender = await send();
    const started = performance.now();
    if (onSender) {
      await onSender(sender.events, async () => {
        sender.child.kill('SIGKILL');
        await sender.exited;
      });
      line.line.restore();
      sender = await send();
    }
    await sender.waitFor((e) => e.some((x) => x.event === 'transfer-done' || x.event === 'transfer-failed'), 'the end of the transfer', 900_000);
    const seconds = (performance.now() - started) / 1000;
    const done = sender.events.find((x) => x.event === 'transfer-done');
    // Where the (last) sender started: the receiver's ACCEPT offset, more than 0 when it resumed.
    const resumedFrom = Number(sender.events.find((x) => x.event === 'transfer-started')?.offset ?? 0);
    void responder;
    const ms = Number(done?.ms ?? 0);
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    let verified = false;
    try {
      verified = done !== undefined && sha(join(rx, 'file.bin')) === sha(source);
    } catch {
      verified = false;
    }
    return { seconds, ms, verified, resumedFrom };
  } finally {
    await stopAllClis();
    await line.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `only: 'cut'` runs just the cut (the others take minutes). */
export async function lineFigures(print = console.log, only?: 'cut'): Promise<LineFigures> {
  const rate = lineRate(BAUD);
  print(`  line: ${BAUD} baud 8N1 (${rate} bytes/s), 5 ms latency each way`);
  const cleanSize = 192 * 1024;
  const skip = { seconds: 0, ms: 1, verified: false, resumedFrom: 0 };
  const clean = only ? skip : await lineTransfer({ baud: BAUD, latencyMs: 5 }, cleanSize);
  const cleanBytesPerSec = cleanSize / (clean.ms / 1000);
  if (!only) print(`  clean line, ${cleanSize / 1024} KiB: ${cleanBytesPerSec.toFixed(0)} bytes/s from offer to verified (${(clean.ms / 1000).toFixed(1)} s): ${(cleanBytesPerSec / rate).toFixed(3)} of the line rate; verified ${clean.verified}`);
  const ber = only ? skip : await lineTransfer({ baud: BAUD, latencyMs: 5, bitErrorRate: 1e-5, seed: 7 }, 1_000_000);
  if (!only) print(`  bit error rate 1e-5, 1 MB: ${ber.verified ? 'verified' : 'NOT verified'} in ${(ber.ms / 1000).toFixed(1)} s (${(1_000_000 / (ber.ms / 1000)).toFixed(0)} bytes/s, ${(1_000_000 / (ber.ms / 1000) / rate).toFixed(3)} of the line rate)`);
  const cutSize = 256 * 1024;
  const cut = await lineTransfer({ baud: BAUD, latencyMs: 5, cutAtByte: Math.floor(cutSize / 2) }, cutSize, async (_events, stop) => {
    // The cable is pulled at 50 %; the sender sees nothing more: stop it, plug the line back, run it again.
    await new Promise((resolve) => setTimeout(resolve, ((cutSize / 2) / rate) * 1000 + 2000));
    await stop();
  });
  print(`  cut at 50 % of ${cutSize / 1024} KiB, sender run again: resumed at byte ${cut.resumedFrom} (${((cut.resumedFrom / cutSize) * 100).toFixed(0)} %), ${cut.verified ? 'verified' : 'NOT verified'}`);
  return {
    cleanBytesPerSec,
    cleanRatio: cleanBytesPerSec / rate,
    berSeconds: ber.ms / 1000,
    berVerified: ber.verified,
    cutResumedFrom: cut.resumedFrom,
    cutVerified: cut.verified,
  };
}
