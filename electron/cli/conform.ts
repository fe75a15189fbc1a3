/**
 * `msp --mode conform`: runs the conformance suite (electron/main/conform/) against another
 * implementation's server, or responder on --serial, prints each case as it finishes and a
 * summary, and writes a Markdown or HTML report when asked. Exit 0 only when no case failed.
 */
import { writeFileSync } from 'node:fs';
import type { ConformSettings, ConformWire } from '../main/conform/cases.ts';
import { caseJson, caseText, htmlReport, markdownReport, summaryJson, summaryText } from '../main/conform/report.ts';
import { runConformance } from '../main/conform/runner.ts';
import { serialWire, tcpWire } from '../main/conform/wires.ts';
import type { ConformConfig } from './conform-args.ts';
import type { Printer } from './output.ts';

export async function runConform(config: ConformConfig, print: Printer): Promise<number> {
  const settings: ConformSettings = {
    replyTimeoutMs: config.replyTimeoutMs,
    // Silence counts as "no answer" after a quarter of the reply time (at least 0.2 s, at most 1 s).
    quietMs: Math.min(1000, Math.max(200, config.replyTimeoutMs / 4)),
    splitGapMs: 50,
    connections: config.connections,
  };
  let wire: ConformWire;
  let closeWire = async () => {};
  if (config.serial) {
    const opened = await serialWire(config.serial.settings, config.serial.maxPacketSize);
    if (!opened.ok) {
      print.error(`Error: ${opened.message}`);
      return 1;
    }
    wire = opened.wire;
    closeWire = opened.close;
  } else {
    wire = tcpWire(config.host, config.port, config.replyTimeoutMs);
    // Say plainly when nothing is there, instead of failing every case the same way.
    const first = await wire.open();
    if (!first.ok) {
      print.error(`Error: ${first.message}`);
      return 1;
    }
    wire.release(first.probe);
  }
  if (!config.json) print.event('start', {}, `MSP conformance check against ${wire.peer} (${wire.kind})`);
  const { results, summary } = await runConformance(wire, settings, (result) => {
    if (!config.quiet || result.status === 'failed') print.event('case', caseJson(result), caseText(result));
  });
  await closeWire();
  print.event('summary', summaryJson(summary), summaryText(summary));
  if (config.reportFile !== undefined) {
    const when = new Date();
    const html = /\.html?$/i.test(config.reportFile);
    try {
      writeFileSync(config.reportFile, html ? htmlReport(results, summary, when) : markdownReport(results, summary, when));
    } catch (error) {
      print.error(`Error: cannot write --report ${config.reportFile}: ${(error as Error).message}`);
      return 1;
    }
  }
  return summary.failed === 0 ? 0 : 1;
}
