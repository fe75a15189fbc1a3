/**
 * Runs the real `msp` CLI as a child process, the way a user does: the bundle tests/global-setup.ts
 * made from the same source as bin/msp.js (bin/msp.js itself: MSP_ENTRY, tests/integration/cli-entry.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_CLI_BUNDLE } from './cli-bundle.ts';

/** bin/msp.js: the entry a user runs (TypeScript through tsx). */
export const MSP_ENTRY = fileURLToPath(new URL('../../bin/msp.js', import.meta.url));
/** The CLI the tests start: the bundle (outside vitest, e.g. in a bench, bin/msp.js). */
export const MSP_BIN = process.env.VITEST ? TEST_CLI_BUNDLE : MSP_ENTRY;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env`: extra environment variables for the child (MSP_PASSWORD...). */
export async function runCli(args: string[], timeoutMs = 20_000, env: Record<string, string> = {}, bin = MSP_BIN): Promise<CliRun> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export interface CliServer {
  port: number;
  /** Every JSON event line printed so far. */
  events: Array<Record<string, unknown>>;
  child: ChildProcess;
  stderr: () => string;
  /** Waits until `predicate` holds for the events seen (polling), or fails after timeoutMs. */
  waitFor(predicate: (events: Array<Record<string, unknown>>) => boolean, timeoutMs?: number): Promise<void>;
  /** Ctrl+C, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `msp --mode server --port 0 --json ...` and resolves once it is listening. */
export async function startCliServer(extraArgs: string[] = [], bin = MSP_BIN): Promise<CliServer> {
  const child = spawn(process.execPath, [bin, '--mode', 'server', '--port', '0', '--json', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const events: Array<Record<string, unknown>> = [];
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'listening') resolve(event.port as number);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
  const port = await listening;
  return {
    port,
    events,
    child,
    stderr: () => stderr,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting; events so far: ${JSON.stringify(events).slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      // Already gone (an exit code, or killed by a signal): there will be no 'exit' event to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
