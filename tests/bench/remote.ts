/**
 * `npm run bench:remote` (and a section of `npm run bench`): remote control over real TCP with
 * MSP v3, one process: the round trip of a tiny command (request, spawn, output, exit), a
 * built-in (no process), and how fast a large output comes back (512 KiB, the cap). Figures, not tests.
 */
import { loadavg } from 'node:os';
import { commandsFolder, connectController, runCollect, startRemoteServer } from '../helpers/remote.ts';

export interface RemoteFigures {
  runs: number;
  echoMedianMs: number;
  echoP95Ms: number;
  builtinMedianMs: number;
  outputBytes: number;
  outputMBPerSec: number;
}

export async function remoteFigures(runs = 100): Promise<RemoteFigures> {
  const { file } = commandsFolder({
    version: 1,
    runsPerMinute: 600,
    commands: [
      { name: 'echo', description: 'Echo.', argv: ['echo', '{text}'], params: [{ name: 'text', type: 'string', pattern: '[a-z]*', maxLength: 20 }] },
      { name: 'big', description: '512 KiB.', argv: ['head', '-c', '524288', '/dev/zero'], maxOutputBytes: 524288 },
    ],
    builtins: { systemInfo: true },
  });
  const server = await startRemoteServer(file);
  const { session, controller } = await connectController(server.port);
  try {
    const time = async (what: () => Promise<unknown>) => {
      const at = performance.now();
      await what();
      return performance.now() - at;
    };
    const echo: number[] = [];
    const builtin: number[] = [];
    for (let i = 0; i < runs; i++) {
      echo.push(await time(() => runCollect(controller, 'echo', { text: 'bench' })));
      builtin.push(await time(() => runCollect(controller, 'system-info')));
    }
    let bytes = 0;
    const bigMs = await time(async () => {
      const ran = await runCollect(controller, 'big');
      bytes = ran.stdout.length;
    });
    echo.sort((a, b) => a - b);
    builtin.sort((a, b) => a - b);
    return {
      runs,
      echoMedianMs: echo[Math.floor(runs / 2)],
      echoP95Ms: echo[Math.floor(runs * 0.95)],
      builtinMedianMs: builtin[Math.floor(runs / 2)],
      outputBytes: bytes,
      outputMBPerSec: bytes / 1e6 / (bigMs / 1000),
    };
  } finally {
    session.close();
    await server.stop();
  }
}

export const formatRemoteFigures = (f: RemoteFigures): string =>
  [
    `  echo (spawn, 6 B out, exit), request to exit   median ${f.echoMedianMs.toFixed(2)} ms, p95 ${f.echoP95Ms.toFixed(2)} ms (${f.runs} runs)`,
    `  system-info (built-in, no process)              median ${f.builtinMedianMs.toFixed(2)} ms`,
    `  512 KiB of output streamed back                 ${f.outputMBPerSec.toFixed(1)} MB/s (${f.outputBytes} bytes, request to exit)`,
  ].join('\n');

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Remote control over TCP, MSP v3, one process, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}:`);
  console.log(formatRemoteFigures(await remoteFigures(Number(process.argv[2] ?? 100))));
}
