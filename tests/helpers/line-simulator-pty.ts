/**
 * The line simulator between two ptys, so real serial programs (lrzsz, `msp --serial`) can
 * talk through a simulated cable: each end is a socat that makes a pty at a path and
 * relays it to our stdio; LineSimulator paces and damages what passes between them.
 *
 *   program A <-> pty <-> socat <-> LineSimulator <-> socat <-> pty <-> program B
 *
 * We hold each pty's slave side open ourselves (never reading it), so a program may close
 * and reopen its port (a rerun after a cut) without socat seeing a hang-up and exiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { LineSimulator, type LineOptions } from './line-simulator.js';
import { SOCAT } from './socat.js';

export interface PtyEnd {
  /** The pty path a program opens as its serial port. */
  path: string;
  /** Our side of it: what we write, the program reads. */
  stream: Duplex;
  close(): Promise<void>;
}

export async function openPtyEnd(path: string): Promise<PtyEnd> {
  if (!SOCAT) throw new Error('socat is required for the line simulator on ptys but is not installed (apt-get install socat).');
  // -b: small transfer blocks, so socat adds little buffering of its own to the simulated line.
  const proc: ChildProcess = spawn(SOCAT, ['-b', '512', `PTY,link=${path},raw,echo=0`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 10_000;
  while (!existsSync(path)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`socat did not create the pty ${path}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const holder = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  const stream = Duplex.from({ readable: proc.stdout!, writable: proc.stdin! });
  stream.on('error', () => {}); // socat going away is reported by close(), not as a crash
  const close = async () => {
    try {
      closeSync(holder);
    } catch {
      // already closed
    }
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM');
    await exited;
  };
  return { path, stream, close };
}

export interface PtyLine {
  /** Ports for the two programs. */
  a: string;
  b: string;
  line: LineSimulator;
  close(): Promise<void>;
}

/** Two ptys joined by a simulated line; a program on `a` talks to a program on `b`. */
export async function startPtyLine(options: LineOptions): Promise<PtyLine> {
  const dir = mkdtempSync(join(tmpdir(), 'msp-line-'));
  const endA = await openPtyEnd(join(dir, 'A'));
  const endB = await openPtyEnd(join(dir, 'B'));
  const line = new LineSimulator(endA.stream, endB.stream, options);
  return {
    a: endA.path,
    b: endB.path,
    line,
    close: async () => {
      line.close();
      await Promise.all([endA.close(), endB.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
