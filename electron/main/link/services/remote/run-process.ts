/**
 * Runs one allowed command: spawn with no shell, in its own process group, so a cancel, a
 * timeout or an output cap ends the whole tree (the command and everything it started).
 * Output goes back in bounded chunks; past the command's limit it is cut and the run stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { OutputStreamName, RunExit } from '../../../../../shared/msp/remote-control.ts';
import { REMOTE_LIMITS } from '../../../../../shared/limits.ts';

export interface RunOptions {
  argv: readonly string[];
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** Called with chunks of at most REMOTE_LIMITS.outputChunkBytes, in order. */
  onOutput(stream: OutputStreamName, bytes: Uint8Array): void;
}

export interface RunningCommand {
  /** Resolves once the process has been spawned, or with why it could not be. */
  started: Promise<string | undefined>;
  /** Resolves when the run is over and every output chunk has been given to onOutput. */
  done: Promise<RunExit>;
  cancel(): void;
}

/**
 * The environment a command gets: enough to find programs and speak a language, nothing of
 * ours (MSP_PASSWORD, tokens and the like stay with the server).
 */
function commandEnvironment(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot', 'TEMP', 'TMP', 'USERPROFILE'];
  const env: NodeJS.ProcessEnv = {};
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
}

export function runProcess(options: RunOptions): RunningCommand {
  const startedAt = Date.now();
  const chunk = REMOTE_LIMITS.outputChunkBytes;
  let child: ChildProcess;
  try {
    child = spawn(options.argv[0], options.argv.slice(1), {
      shell: false,
      detached: process.platform !== 'win32', // its own process group: -pid reaches the whole tree
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
      env: commandEnvironment(),
    });
  } catch (error) {
    const why = (error as Error).message;
    return { started: Promise.resolve(why), done: Promise.resolve(exitOf(-1, false, { startedAt, bytes: 0 })), cancel: () => {} };
  }
  let bytes = 0;
  let truncated = false;
  let timedOut = false;
  let cancelled = false;
  let exited = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const killTree = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
      else process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  const stop = () => {
    killTree('SIGTERM');
    // A command that ignores SIGTERM gets SIGKILL after a grace period.
    graceTimer ??= setTimeout(() => killTree('SIGKILL'), REMOTE_LIMITS.killGraceMs);
  };

  const forward = (stream: OutputStreamName) => (data: Buffer) => {
    if (truncated) return;
    let piece: Uint8Array = data;
    if (bytes + piece.length > options.maxOutputBytes) {
      piece = piece.subarray(0, options.maxOutputBytes - bytes);
      truncated = true;
      stop();
    }
    bytes += piece.length;
    for (let at = 0; at < piece.length; at += chunk) options.onOutput(stream, piece.slice(at, at + chunk));
  };
  child.stdout?.on('data', forward('stdout'));
  child.stderr?.on('data', forward('stderr'));

  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);

  const started = new Promise<string | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error.message));
  });

  const done = new Promise<RunExit>((resolve) => {
    let code = -1;
    let signalled = false;
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      resolve({ ...exitOf(code, signalled, { startedAt, bytes }), truncated, timedOut, cancelled });
    };
    child.once('exit', (exitCode, signal) => {
      exited = true;
      code = exitCode ?? signalNumber(signal);
      signalled = exitCode === null;
      // What the command left running in its group goes with it.
      killTree('SIGKILL');
      // A process that left the group (setsid) may still hold the pipes: stop reading after a grace period.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, REMOTE_LIMITS.killGraceMs * 2).unref();
    });
    // 'close' comes once every pipe is closed: all output has been read.
    child.once('close', finish);
    child.once('error', () => {
      if (!exited && child.pid === undefined) finish();
    });
  });

  return {
    started,
    done,
    cancel: () => {
      if (exited) return;
      cancelled = true;
      stop();
    },
  };
}

function exitOf(exitCode: number, signalled: boolean, run: { startedAt: number; bytes: number }): RunExit {
  return { exitCode, signalled, truncated: false, timedOut: false, cancelled: false, bytes: run.bytes, durationMs: Date.now() - run.startedAt };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) ?? 0;
}
