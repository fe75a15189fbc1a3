/**
 * The one ZMODEM line of `npm run bench` (cheap: about 6 s): 64 KiB from our sender to our
 * receiver, both in this process, through the line simulator at 115200 baud 8N1 with 5 ms each
 * way, as a fraction of the line rate, checked by SHA-256. `npm run bench:modem` has the full
 * story (separate processes on ptys, lrzsz side by side, bit errors, a cut).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { receiveFiles, sendFiles } from '../../electron/main/modem/transfer.ts';
import { duplexPair } from '../helpers/duplex.ts';
import { LineSimulator, lineRate } from '../helpers/line-simulator.ts';

export interface ModemQuickFigure {
  bytes: number;
  baud: number;
  seconds: number;
  fractionOfLine: number;
  ok: boolean;
}

export async function modemQuickFigure(kib = 64, baud = 115_200, latencyMs = 5): Promise<ModemQuickFigure> {
  const work = mkdtempSync(join(tmpdir(), 'msp-bench-zmodem-'));
  const data = randomBytes(kib * 1024);
  writeFileSync(join(work, 'bench.bin'), data);
  const inbox = mkdtempSync(join(work, 'in-'));
  const [sender, a] = duplexPair();
  const [b, receiver] = duplexPair();
  const line = new LineSimulator(a, b, { baud, latencyMs });
  let firstByte = 0;
  a.once('data', () => (firstByte = performance.now()));
  try {
    const [sent, received] = await Promise.all([
      sendFiles(sender, 'zmodem', [join(work, 'bench.bin')]),
      receiveFiles(receiver, 'zmodem', { dir: inbox, overwrite: false, maxFileSize: data.length }),
    ]);
    // Timed on the line: from the sender's first byte to the last byte it sent arriving.
    const seconds = (line.aToB.lastDeliveredAt - firstByte) / 1000;
    const same = createHash('sha256').update(readFileSync(join(inbox, 'bench.bin'))).digest('hex') === createHash('sha256').update(data).digest('hex');
    return { bytes: data.length, baud, seconds, fractionOfLine: data.length / seconds / lineRate(baud), ok: sent.ok && received.ok && same };
  } finally {
    line.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatModemQuickFigure(f: ModemQuickFigure): string {
  return `  ZMODEM ours -> ours, ${f.bytes / 1024} KiB at ${f.baud} baud 8N1, 5 ms: ${f.seconds.toFixed(2)} s, ${f.fractionOfLine.toFixed(3)} of the line rate${f.ok ? ', SHA-256 equal' : '  FAILED'}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figure = await modemQuickFigure();
  console.log(formatModemQuickFigure(figure));
}
