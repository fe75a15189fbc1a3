/** Our server as users run it, `msp --mode server --quiet`, in its own process (pinned to CPU 0 when asked). */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, rssBytes } from './system.ts';

const MSP_BIN = fileURLToPath(new URL('../../bin/msp.js', import.meta.url));

export interface ServerProcess {
  port: number;
  pid: number;
  cpuSeconds(): number;
  rssBytes(): number;
  /** Lines the server printed: with --quiet, only what went wrong. */
  log: string[];
  stop(): Promise<void>;
}

export async function startServer(options: { pinCpu?: string; extraArgs?: string[] } = {}): Promise<ServerProcess> {
  const node = [process.execPath, MSP_BIN, '--mode', 'server', '--quiet', '--json', '--port', '0', ...(options.extraArgs ?? [])];
  const command = options.pinCpu !== undefined ? ['taskset', '-c', options.pinCpu, ...node] : node;
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const log: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { event: string; port?: number };
      if (event.event === 'listening') resolve(event.port!);
      else if (event.event !== 'stopped') log.push(line);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
  const pid = child.pid!;
  return {
    port,
    pid,
    cpuSeconds: () => cpuSeconds(pid),
    rssBytes: () => rssBytes(pid),
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await once(child, 'exit');
    },
  };
}
