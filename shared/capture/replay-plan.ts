/**
 * What a replay does, read from a capture: for each MSP stream over TCP, the client's rows in
 * order (to send again) and the server's (the replies to expect), with their recorded times.
 * Pure: the socket side is electron/cli/replay.ts.
 */
import { importCapture } from './import-capture.ts';
import type { CaptureError } from '../errors/capture.ts';
import type { LogEntry } from '../ipc/types.ts';
import { ok, type Result } from '../result.ts';

export interface ReplayStep {
  /** client: send these bytes; server: expect this row. */
  from: 'client' | 'server';
  entry: LogEntry;
}

export interface ReplayStream {
  name: string;
  steps: ReplayStep[];
  /** Client rows we cannot send as they were: the capture kept only the start of them. */
  partial: number;
}

export function replayPlan(bytes: Uint8Array): Result<ReplayStream[], CaptureError> {
  const byStream = new Map<number, ReplayStep[]>();
  const result = importCapture(bytes, (event, origin) => {
    if (event.kind !== 'entry' || event.entry.kind === 'suppressed') return;
    let steps = byStream.get(origin.stream);
    if (!steps) byStream.set(origin.stream, (steps = []));
    steps.push({ from: origin.fromClient ? 'client' : 'server', entry: event.entry });
  });
  if (!result.ok) return result;
  const streams: ReplayStream[] = [];
  for (const [index, steps] of [...byStream].sort(([a], [b]) => a - b)) {
    const summary = result.value.streams[index];
    if (summary.kind !== 'tcp' || summary.verdict !== 'msp') continue;
    const partial = steps.filter((s) => s.from === 'client' && (s.entry.length ?? s.entry.raw.length) > s.entry.raw.length).length;
    streams.push({ name: summary.name, steps, partial });
  }
  return ok(streams);
}

/** One reply compared: the same bytes, or what differs. */
export interface ReplyDifference {
  /** 1-based number of the reply in the stream. */
  reply: number;
  expected?: LogEntry;
  got?: LogEntry;
}

/** Replies compared in order by kind and bytes (times and ids are expected to differ). */
export function compareReplies(expected: readonly LogEntry[], got: readonly LogEntry[]): ReplyDifference[] {
  const differences: ReplyDifference[] = [];
  for (let i = 0; i < Math.max(expected.length, got.length); i++) {
    const e = expected[i];
    const g = got[i];
    if (e && g && e.kind === g.kind && sameBytes(e.raw, g.raw) && (e.length ?? 0) === (g.length ?? 0)) continue;
    differences.push({ reply: i + 1, ...(e ? { expected: e } : {}), ...(g ? { got: g } : {}) });
  }
  return differences;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
