/**
 * The line simulator as a command, for trying programs by hand over a bad cable:
 *
 *   node --import tsx tests/helpers/line-sim-cli.ts --baud 115200 --latency 5 --ber 1e-5 --seed 7
 *
 * prints the two pty paths (connect one program to each) and, on Ctrl-C, the statistics.
 * Options: --baud N (0 = unpaced), --latency MS, --ber P, --drop P, --dup P, --seed N,
 * --cut-at BYTES (A->B), --restore-after MS (plug back in that long after the cut).
 */
import { startPtyLine } from './line-simulator-pty.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} needs a number >= 0`);
    process.exit(2);
  }
  return value;
}

const cutAt = flag('cut-at', -1);
const restoreAfter = flag('restore-after', -1);
const pty = await startPtyLine({
  baud: flag('baud', 115200),
  latencyMs: flag('latency', 0),
  bitErrorRate: flag('ber', 0),
  dropRate: flag('drop', 0),
  duplicateRate: flag('dup', 0),
  seed: flag('seed', 1),
  ...(cutAt >= 0 ? { cutAtByte: cutAt } : {}),
});
console.log(`A: ${pty.a}\nB: ${pty.b}`);
pty.line.on('cut', () => {
  console.log('line cut');
  if (restoreAfter >= 0)
    setTimeout(() => {
      pty.line.restore();
      console.log('line restored');
    }, restoreAfter);
});
process.once('SIGINT', async () => {
  console.log(JSON.stringify({ aToB: pty.line.aToB.stats, bToA: pty.line.bToA.stats }));
  await pty.close();
  process.exit(0);
});
