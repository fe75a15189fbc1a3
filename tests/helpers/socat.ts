/**
 * Virtual null-modem cables for tests: socat joins two ptys and links them at
 * <dir>/A and <dir>/B. Under CI=true a missing socat makes the tests that need it
 * fail (startPtyPair throws); elsewhere they are skipped with the reason in their name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from './find-on-path.ts';

export const SOCAT = findOnPath('socat');

/** Skip (outside CI only) when socat is missing; the string says why, for the suite's name. */
export const socatSkip: { skip: boolean; reason: string } = (() => {
  if (SOCAT) return { skip: false, reason: '' };
  if (process.env.CI === 'true') return { skip: false, reason: '' }; // run, and fail loudly in startPtyPair
  return { skip: true, reason: ' [skipped: socat is not installed; apt-get install socat]' };
})();

export interface PtyPair {
  /** The two ends: what one side writes to `a`, the other reads from `b`. */
  a: string;
  b: string;
  /** Kills socat: both ports vanish, like pulling the cable's adapter out. */
  unplug(): Promise<void>;
  /** Starts socat again on the same paths, like plugging it back in. */
  replug(): Promise<void>;
}

const running = new Set<ChildProcess>();
const dirs = new Set<string>();

export async function startPtyPair(): Promise<PtyPair> {
  if (!SOCAT) throw new Error('socat is required for the serial tests but is not installed (apt-get install socat).');
  const socat = SOCAT;
  const dir = mkdtempSync(join(tmpdir(), 'msp-pty-'));
  dirs.add(dir);
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn(socat, ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const deadline = Date.now() + 10_000;
    while (!(existsSync(a) && existsSync(b))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`socat did not create the pty pair: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    child = proc;
  };
  const unplug = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM'); // socat removes its links on SIGTERM
    await exited;
  };
  await start();
  return { a, b, unplug, replug: start };
}

/** Kills every socat these helpers started and removes their directories (call in afterEach/afterAll). */
export async function stopAllPtyPairs(): Promise<void> {
  await Promise.all(
    [...running].map(async (proc) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill('SIGTERM');
      await exited;
    }),
  );
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

// Last resort if a test run is torn down without its hooks: never leave socat behind.
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

