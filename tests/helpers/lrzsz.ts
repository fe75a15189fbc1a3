/**
 * Debian's lrzsz (sz/rz, sb/rb, sx/rx) as a test peer: runs one program with its stdin and
 * stdout on a pty path, as it would run on a serial line. Under CI=true a missing lrzsz
 * fails the tests (runLrzsz throws); elsewhere they are skipped with the reason in their name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, openSync } from 'node:fs';
import { findOnPath } from './find-on-path.ts';


/** Debian installs them as sz/rz/sb/rb/sx/rx (other systems as lsz, lrz...). */
export const LRZSZ = findOnPath('sz') ? '' : findOnPath('lsz') ? 'l' : undefined;

export const lrzszSkip: { skip: boolean; reason: string } = (() => {
  if (LRZSZ !== undefined || process.env.CI === 'true') return { skip: false, reason: '' };
  return { skip: true, reason: ' [skipped: lrzsz is not installed; apt-get install lrzsz]' };
})();

export interface LrzszRun {
  child: ChildProcess;
  /** Resolves with the exit code and what it wrote on stderr. */
  done: Promise<{ code: number | null; stderr: string }>;
}

/** Runs e.g. `sz -vv file` with its stdin/stdout on the pty at `port`, in `cwd`. */
export function runLrzsz(program: 'sz' | 'rz' | 'sb' | 'rb' | 'sx' | 'rx', args: string[], port: string, cwd: string): LrzszRun {
  if (LRZSZ === undefined) throw new Error('lrzsz is required for the X/Y/ZMODEM interop tests but is not installed (apt-get install lrzsz).');
  const fd = openSync(port, constants.O_RDWR | constants.O_NOCTTY);
  const child = spawn(`${LRZSZ}${program}`, args, { cwd, stdio: [fd, fd, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  // We keep the pty open a while after the program exits: its last bytes (the final ACK)
  // are still on their way through socat, which would drop them on seeing the pty hang up.
  const done = once(child, 'exit').then(([code]) => {
    setTimeout(() => closeSync(fd), 2000).unref();
    return { code: code as number | null, stderr };
  });
  return { child, done };
}
