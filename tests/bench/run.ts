/**
 * `npm run bench`: codec figures, then our server (`msp --mode server --quiet`, its own
 * process) under the project's own load generator, then under hostile input (junk
 * floods, one byte per write: adversarial.ts), then many idle clients at once.
 * Prints the figures and writes them to bench-report.json. Not a test: nothing is
 * asserted about speed; a wrong or missing ACK is reported, and makes the exit code 1.
 *
 *   npm run bench -- [--quick] [--seconds S] [--hold N] [--workers N] [--no-pin] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { adversarialFigures, type AdversarialFigure } from './adversarial.ts';
import { codecFigures } from './codec.ts';
import { cpaceFigures, formatCPaceFigure, formatHandshakeFigure, handshakeFigure } from './cpace.ts';
import { formatRulesFigure, rulesFigures } from './rules.ts';
import { captureFigures, formatCaptureFigure } from './capture.ts';
import { holdConnections, type HoldResult } from './hold.ts';
import { runLoad, type LoadResult } from './load.ts';
import { formatRemoteFigures, remoteFigures } from './remote.ts';
import { startServer } from './server-process.ts';
import { transferFigures } from './transfer.ts';
import { formatModemQuickFigure, modemQuickFigure } from './modem-quick.ts';
import { canPin, openFilesLimit, pinThisProcess } from './system.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    hold: { type: 'string' },
    workers: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-report.json' },
  },
});

const seconds = Number(values.seconds ?? (values.quick ? 2 : 5));
const cpuCount = availableParallelism(); // before pinning, which narrows what this reports
const pinned = !values['no-pin'] && canPin();
const loadCpus = cpuCount > 2 ? `1-${cpuCount - 1}` : '1';
const workers = Number(values.workers ?? Math.max(1, cpuCount - 1));
const CONFIGS: Array<[conns: number, window: number]> = [
  [1, 1],
  [8, 1],
  [64, 16],
];

async function main(): Promise<number> {
  if (pinned) pinThisProcess(loadCpus);
  console.log(`MSP Workbench bench: Node ${process.version}, ${cpuCount} CPUs (${cpus()[0]?.model ?? '?'})`);
  console.log(pinned ? `Pinned: server on CPU 0, load generator on CPU ${loadCpus} (${workers} worker thread(s)).` : `Not pinned; ${workers} load worker thread(s).`);

  console.log('\nCodec (one thread):');
  const codec = codecFigures(values.quick ? 300 : 1000);
  for (const f of codec) {
    console.log(`  ${f.operation.padEnd(44)} ${String(f.payloadBytes).padStart(5)} B payload  ${fmt(f.packetsPerSec).padStart(11)} packets/s  ${f.mbPerSec.toFixed(1).padStart(8)} MB/s`);
  }

  console.log('\nCPace ristretto255/SHA-512 handshake, one side (one thread):');
  const cpace = await cpaceFigures(values.quick ? 50 : 200, values.quick ? { 15: 3, 17: 1 } : { 15: 15, 17: 5 });
  for (const f of cpace) console.log(formatCPaceFigure(f));
  const handshake = await handshakeFigure(values.quick ? 30 : 100);
  console.log(formatHandshakeFigure(handshake));

  console.log('\nAutomation: rules and impairment per packet (one thread):');
  const rules = rulesFigures(values.quick ? 0.2 : 1);
  for (const f of rules) console.log(formatRulesFigure(f));
  console.log('\nCaptures (one thread):');
  const capture = captureFigures(values.quick ? 20_000 : 100_000);
  for (const f of capture) console.log(formatCaptureFigure(f));

  console.log(`\nServer, msp --mode server --quiet (${seconds} s per configuration after 1 s warm-up, 16 B payloads):`);
  const server = await startServer({ pinCpu: pinned ? '0' : undefined });
  const load: Array<LoadResult & { serverCpuUsPerAck: number }> = [];
  let wrong = false;
  try {
    for (const [conns, window] of CONFIGS) {
      const cpuBefore = server.cpuSeconds();
      const result = await runLoad({ host: '127.0.0.1', port: server.port, conns, window, durationMs: seconds * 1000, workers });
      // CPU over warm-up + window, shared out over the ACKs of that time (the window's rate).
      const cpu = server.cpuSeconds() - cpuBefore;
      const serverCpuUsPerAck = Math.round(((cpu * 1e6) / (result.acksPerSec * (seconds + 1))) * 1000) / 1000;
      load.push({ ...result, serverCpuUsPerAck });
      const problems = result.badBytes + result.unexpectedAcks + result.stalledConns + result.errors.length;
      if (problems > 0) wrong = true;
      console.log(
        `  ${`${conns} x ${window}`.padEnd(8)} ${fmt(result.acksPerSec).padStart(10)} ACKs/s   p50 ${result.p50Us.toFixed(0).padStart(5)} us   p99 ${result.p99Us
          .toFixed(0)
          .padStart(6)} us   server CPU ${serverCpuUsPerAck.toFixed(2)} us/ACK${problems ? `   WRONG: ${JSON.stringify({ bad: result.badBytes, unexpected: result.unexpectedAcks, stalled: result.stalledConns, errors: result.errors })}` : ''}`,
      );
    }
  } finally {
    await server.stop();
  }
  if (server.log.length) console.log(`  the server logged ${server.log.length} line(s), e.g. ${server.log[0]}`);

  console.log('\nHostile input, msp --mode server --quiet --max-junk-bytes 0 (one connection; ended by filler and a DATA that must be ACKed):');
  const adversarialServer = await startServer({ pinCpu: pinned ? '0' : undefined, extraArgs: ['--max-junk-bytes', '0'] });
  let adversarial: AdversarialFigure[];
  try {
    adversarial = await adversarialFigures(adversarialServer, (values.quick ? 2 : 10) * 1024 * 1024, values.quick ? 1000 : 3000);
  } finally {
    await adversarialServer.stop();
  }
  for (const f of adversarial) {
    if (!f.acked) wrong = true;
    console.log(
      `  ${f.input.padEnd(26)} ${f.mbPerSec.toFixed(1).padStart(7)} MB/s   (${(f.bytes / 1e6).toFixed(1)} MB in ${f.seconds} s; ${f.mbPerServerCpuSec.toFixed(1)} MB per server CPU second)${f.acked ? '' : '   WRONG: a DATA after it was not ACKed'}`,
    );
  }

  let hold: HoldResult | undefined;
  const wanted = Number(values.hold ?? (values.quick ? 1000 : 10_000));
  if (wanted > 0) {
    // Each held connection costs a file descriptor here as well as in the server.
    const limit = openFilesLimit().soft;
    const count = Math.min(wanted, limit - 100);
    console.log(`\nHold ${fmt(count)} idle clients at once, then one DATA on each:`);
    if (count < wanted) console.log(`  (open-files limit here is ${limit}: raise it with ulimit -n to hold ${fmt(wanted)})`);
    // Every client comes from 127.0.0.1: the per-address cap is off for this row.
    const holdServer = await startServer({ pinCpu: pinned ? '0' : undefined, extraArgs: ['--max-per-address', '0'] });
    try {
      hold = await holdConnections(holdServer, count);
    } finally {
      await holdServer.stop();
    }
    if (hold.acked !== hold.requested) wrong = true;
    console.log(
      `  connected ${fmt(hold.connected)} in ${hold.secondsToConnect} s, ACKed ${fmt(hold.acked)}; server memory ${hold.serverRssBeforeMb} MB -> ${hold.serverRssHoldingMb} MB: ${(hold.bytesPerConnection / 1024).toFixed(1)} KiB per connection${hold.errors.length ? `; errors: ${hold.errors.join('; ')}` : ''}`,
    );
  }

  // The line simulator runs take minutes: they are in `npm run bench:transfer` only.
  const transferMib = values.quick ? 32 : 256;
  console.log(`\nMSP file transfer over TCP loopback, ${transferMib} MiB (npm run bench:transfer adds the 115200-baud line):`);
  const transfer = await transferFigures(transferMib);

  // One cheap ZMODEM line (about 6 s of line time); `npm run bench:modem` takes minutes.
  console.log('\nX/Y/ZMODEM on the simulated line (in-process; npm run bench:modem: lrzsz, bit errors, a cut):');
  const modem = await modemQuickFigure();
  console.log(formatModemQuickFigure(modem));
  if (!modem.ok) wrong = true;

  console.log('\nRemote control over TCP, MSP v3 (one process):');
  const remote = await remoteFigures(values.quick ? 30 : 100);
  console.log(formatRemoteFigures(remote));

  const report = { date: new Date().toISOString(), node: process.version, cpus: cpuCount, pinned, workers, seconds, codec, cpace, handshake, rules, capture, server: load, adversarial, hold, transfer, modem, remote };
  writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nWrote ${values.out}.${wrong ? ' Some ACKs were wrong or missing (see above).' : ''}`);
  return wrong ? 1 : 0;
}

const fmt = (n: number) => n.toLocaleString('en-US');

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
