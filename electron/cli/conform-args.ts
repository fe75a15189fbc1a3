/**
 * The flags of `msp --mode conform` (and of the client's --sequence), kept apart from args.ts
 * so that file only registers them. args.ts turns a refusal here into its one-line UsageError.
 */
import { fail, ok, type Result } from '../../shared/result.ts';
import type { CommonConfig } from './args.ts';

/** For parseArgs: spread into its options. */
export const AUTOMATION_FLAGS = {
  report: { type: 'string' },
  connections: { type: 'string' },
  sequence: { type: 'string' },
  'sequence-id': { type: 'string' },
} as const;

/** `msp --mode conform`: the suite against another implementation's server (or responder on --serial). */
export interface ConformConfig extends CommonConfig {
  mode: 'conform';
  /** How long each reply may take (ms). */
  replyTimeoutMs: number;
  /** Connections opened at once by the many-connections case. */
  connections: number;
  /** --report FILE.md or FILE.html: also write the report there. */
  reportFile?: string;
}

export const CONNECTIONS_RANGE = { min: 1, max: 1000 } as const;
export const DEFAULT_CONNECTIONS = 50;

export const CONFORM_USAGE = `Conformance check (another implementation's server, or responder with --serial):
  msp --mode conform [--host H] [--port P | --serial PATH ...] [--timeout S] [--connections N]
                     [--report FILE.md|FILE.html] [--json]
  --timeout S         conform: how long each reply may take                        [2]
  --connections N     conform: connections at once in the many-connections case    [${DEFAULT_CONNECTIONS}]
  --report FILE       conform: also write the report as Markdown (.md) or HTML (.html)
  Exit code: 0 every case passed (or did not apply), 1 a case failed or the peer could not be reached, 2 bad flags.
Sequences (a client that runs a saved sequence, see README "Saved packets and sequences"):
  msp --mode client [--host H] [--port P | --serial PATH ...] --sequence FILE [--sequence-id ID] [--json]
  --sequence FILE     client: run the sequence in FILE (exported packets JSON) instead of --message;
                      exit 0 when it completes, 1 when a step fails, 2 when the file is not right
  --sequence-id ID    client: which of the file's sequences (needed when it holds several)`;

type Values = { report?: string; connections?: string; timeout?: string; sequence?: string; message?: string; repeat?: string };

export function parseConformConfig(v: Values, common: CommonConfig): Result<ConformConfig, string> {
  if (common.password !== undefined || common.askPassword) return fail('--mode conform checks the plain MSP of msp.py: it takes no password.');
  if (v.message !== undefined || v.sequence !== undefined) return fail('--mode conform sends its own packets: leave out --message and --sequence.');
  if (common.port === 0 && !common.serial) return fail("--port 0 only makes sense for a server; give the peer's port.");
  const timeout = Number(v.timeout ?? '2');
  if (v.timeout?.trim() === '' || !Number.isFinite(timeout) || timeout <= 0 || timeout > 600) {
    return fail(`--timeout must be a number of seconds above 0 and at most 600, got "${v.timeout}".`);
  }
  const connections = Number(v.connections ?? DEFAULT_CONNECTIONS);
  if (!Number.isInteger(connections) || connections < CONNECTIONS_RANGE.min || connections > CONNECTIONS_RANGE.max) {
    return fail(`--connections must be a whole number from ${CONNECTIONS_RANGE.min} to ${CONNECTIONS_RANGE.max}, got "${v.connections}".`);
  }
  const reportFile = v.report;
  if (reportFile !== undefined && !/\.(md|markdown|html?)$/i.test(reportFile)) {
    return fail(`--report must name a .md or .html file, got "${reportFile}".`);
  }
  return ok({
    ...common,
    mode: 'conform',
    replyTimeoutMs: Math.round(timeout * 1000),
    connections,
    ...(reportFile !== undefined ? { reportFile } : {}),
  });
}
