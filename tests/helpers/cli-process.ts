/** A long-running `msp` (a serial server, a bridge) as a child process whose --json events a test can wait for. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { MSP_BIN } from './cli.ts';

export type CliEvent = Record<string, unknown>;

export interface CliProcess {
  child: ChildProcess;
  /** Every JSON line printed so far. */
  events: CliEvent[];
  stderr(): string;
  /** Waits until `predicate` holds for the events (polling), or fails after timeoutMs. */
  waitFor(predicate: (events: CliEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once it exits by itself. */
  exited: Promise<number | null>;
  /** Ctrl+C, then the exit code. */
  stop(): Promise<number | null>;
}

const started = new Set<ChildProcess>();

/** Starts `msp --json ...args` and resolves once an event satisfies `ready`. */
export async function startCli(args: string[], ready: (event: CliEvent) => boolean): Promise<CliProcess> {
  const child = spawn(process.execPath, [MSP_BIN, '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code]) => {
    started.delete(child);
    return code as number | null;
  });
  const events: CliEvent[] = [];
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as CliEvent;
      events.push(event);
      if (ready(event)) resolve();
    });
    void exited.then((code) => reject(new Error(`msp ${args.join(' ')} exited with ${code} before it was ready: ${stderr}`)));
  });
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    async waitFor(predicate, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events so far: ${JSON.stringify(events).slice(-2000)}; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** Stops every process startCli started that is still running (call in afterEach). */
export async function stopAllClis(): Promise<void> {
  await Promise.all(
    [...started].map(async (child) => {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const stuck = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(stuck);
    }),
  );
}
