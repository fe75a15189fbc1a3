/**
 * Runs the conformance suite case by case. Each case gets a hard deadline on top of its own
 * waits, and every connection it opened is released when it ends, so a silent, slow or
 * hostile peer can make a case fail but never make the suite hang.
 */
import { CONFORM_CASES, OpenFailed, type CaseContext, type ConformCase, type ConformSettings, type ConformWire } from './cases.ts';
import type { Probe } from './probe.ts';

export type CaseStatus = 'passed' | 'failed' | 'not-applicable';

export interface CaseResult {
  id: string;
  title: string;
  status: CaseStatus;
  expected: string;
  /** What came back, in words (for not-applicable: why it does not apply). */
  got: string;
  /** For a failure: what it usually means. */
  deviation?: string;
  /** The bytes we sent, write by write, and the first bytes the peer sent back. */
  sent: Uint8Array[];
  received: Uint8Array;
  ms: number;
}

export interface ConformSummary {
  peer: string;
  wire: 'tcp' | 'serial';
  passed: number;
  failed: number;
  notApplicable: number;
  total: number;
  ms: number;
}

/** The longest a case may take: its own waits (a few reply timeouts and quiet periods) with room to spare. */
export function caseDeadlineMs(settings: ConformSettings, wire: ConformWire): number {
  return 4 * settings.replyTimeoutMs + 2 * settings.quietMs + 2 * settings.splitGapMs + 2 * wire.transmitMs(65_535) + 5_000;
}

export async function runCase(testCase: ConformCase, wire: ConformWire, settings: ConformSettings): Promise<CaseResult> {
  const started = Date.now();
  const base = { id: testCase.id, title: testCase.title, expected: testCase.expected };
  const empty = new Uint8Array(0);
  const reason = testCase.notApplicable?.(wire);
  if (reason !== undefined) return { ...base, status: 'not-applicable', got: reason, sent: [], received: empty, ms: 0 };
  const opened: Probe[] = [];
  const context: CaseContext = {
    wire,
    settings,
    open: async () => {
      const result = await wire.open();
      if (!result.ok) throw new OpenFailed(result.message);
      opened.push(result.probe);
      return result.probe;
    },
  };
  const deadlineMs = caseDeadlineMs(settings, wire);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs);
  });
  try {
    const verdict = await Promise.race([testCase.run(context), deadline]);
    const ms = Date.now() - started;
    if (verdict === 'deadline') {
      return { ...base, status: 'failed', got: `the case did not finish within ${deadlineMs / 1000} s`, deviation: testCase.deviation, sent: [], received: empty, ms };
    }
    return {
      ...base,
      status: verdict.passed ? 'passed' : 'failed',
      got: verdict.got,
      ...(verdict.passed ? {} : { deviation: testCase.deviation }),
      sent: verdict.sent,
      received: verdict.received,
      ms,
    };
  } catch (error) {
    // Only a connection that could not be opened gets here (the cases catch nothing else from the peer).
    const message = error instanceof OpenFailed ? `could not connect: ${error.message}` : `error: ${(error as Error).message}`;
    return { ...base, status: 'failed', got: message, deviation: testCase.deviation, sent: [], received: empty, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    for (const probe of opened) wire.release(probe);
  }
}

/** Runs every case in order, reporting each as it finishes; `only` picks cases by id. */
export async function runConformance(
  wire: ConformWire,
  settings: ConformSettings,
  onCase: (result: CaseResult) => void = () => {},
  cases: readonly ConformCase[] = CONFORM_CASES,
): Promise<{ results: CaseResult[]; summary: ConformSummary }> {
  const started = Date.now();
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const result = await runCase(testCase, wire, settings);
    results.push(result);
    onCase(result);
  }
  const count = (status: CaseStatus) => results.filter((r) => r.status === status).length;
  return {
    results,
    summary: {
      peer: wire.peer,
      wire: wire.kind,
      passed: count('passed'),
      failed: count('failed'),
      notApplicable: count('not-applicable'),
      total: results.length,
      ms: Date.now() - started,
    },
  };
}
