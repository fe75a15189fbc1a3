/** Runs the real `msp` CLI (bin/msp.js) as a child process, the way a user does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const MSP_BIN = fileURLToPath(new URL('../../bin/msp.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env`: extra environment variables for the child (MSP_PASSWORD...). */
export async function runCli(args: string[], timeoutMs = 20_000, env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [MSP_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
export async function startCliServer(extraArgs: string[] = []): Promise<CliServer> {
  const child = spawn(process.execPath, [MSP_BIN, '--mode', 'server', '--port', '0', '--json', ...extraArgs], {
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
