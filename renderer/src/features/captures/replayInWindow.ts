/**
 * Replays a recording's client side over this window's link, the way `msp --mode replay` does
 * over its own socket: each client row goes out as raw bytes (at the recorded pace, or as soon
 * as the replies recorded before it have come in), and the rows that come in are compared with
 * the recorded replies. The link, the log and the clock are passed in, so it is tested without a
 * window.
 */
import { compareReplies, type ReplayStream, type ReplyDifference } from '../../../../shared/capture/replay-plan.ts';
import type { LogEntry } from '../../../../shared/ipc/types.ts';

/** How long to wait for the replies recorded before a message (and for the last ones). */
export const REPLAY_REPLY_TIMEOUT_MS = 5000;
const POLL_MS = 25;

export interface ReplayLink {
  /** Writes these bytes as they are; false when the link would not take them. */
  send(raw: Uint8Array): Promise<boolean>;
  /** The rows that came in from the peer since the replay began, in order. */
  replies(): LogEntry[];
  /** After each message sent. */
  progress(sent: number): void;
  signal: AbortSignal;
  asFastAsPossible: boolean;
  timeoutMs?: number;
}

export interface ReplayOutcome {
  sent: number;
  expected: number;
  got: number;
  differences: ReplyDifference[];
  /** The link refused a write, or the replay was stopped: the comparison is of what happened so far. */
  interrupted: boolean;
}

export async function replayOverLink(stream: ReplayStream, link: ReplayLink): Promise<ReplayOutcome> {
  const timeoutMs = link.timeoutMs ?? REPLAY_REPLY_TIMEOUT_MS;
  const expected = stream.steps.filter((s) => s.from === 'server').map((s) => s.entry);
  const started = performance.now();
  const firstAt = stream.steps[0]?.entry.at ?? 0;
  let sent = 0;
  let repliesBefore = 0;
  let interrupted = false;
  for (const step of stream.steps) {
    if (step.from === 'server') {
      repliesBefore++;
      continue;
    }
    const needed = repliesBefore;
    await until(() => link.replies().length >= needed, timeoutMs, link.signal);
    if (!link.asFastAsPossible) await pause(started + (step.entry.at - firstAt) - performance.now(), link.signal);
    if (link.signal.aborted || !(await link.send(step.entry.raw))) {
      interrupted = true;
      break;
    }
    link.progress(++sent);
  }
  if (!interrupted) await until(() => link.replies().length >= expected.length, timeoutMs, link.signal);
  const got = link.replies();
  return { sent, expected: expected.length, got: got.length, differences: compareReplies(expected, got), interrupted: interrupted || link.signal.aborted };
}

/** Resolves once `test` holds, the time is up or the replay is stopped. */
async function until(test: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!test() && !signal.aborted && performance.now() < deadline) await pause(POLL_MS, signal);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
