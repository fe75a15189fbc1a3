/** The app's replay over a fake link: order, waiting for recorded replies, the recorded pace, differences, stopping. */
import { describe, expect, it } from 'vitest';
import type { ReplayStream } from '../../../shared/capture/replay-plan.ts';
import type { LogEntry } from '../../../shared/ipc/types.ts';
import { encodePacket, utf8Encode } from '../../../shared/msp/index.ts';
import { replayOverLink, type ReplayLink } from '../../../renderer/src/features/captures/replayInWindow.ts';

const row = (dir: 'in' | 'out', at: number, type: number, text: string): LogEntry => ({
  id: 0,
  at,
  dir,
  peer: 'p',
  kind: 'packet',
  raw: encodePacket({ version: 1, type, payload: utf8Encode(text) }),
});

const recording: ReplayStream = {
  name: 'a → b',
  partial: 0,
  steps: [
    { from: 'client', entry: row('out', 1000, 0x10, 'one') },
    { from: 'server', entry: row('in', 1001, 0x11, 'OK') },
    { from: 'client', entry: row('out', 1040, 0x10, 'two') },
    { from: 'server', entry: row('in', 1041, 0x11, 'OK') },
  ],
};

/** A peer that answers each message with `answer(text)` (or nothing), at once. */
function fakeLink(answer: (text: string) => string | undefined, options: Partial<ReplayLink> = {}) {
  const replies: LogEntry[] = [];
  const sent: string[] = [];
  const link: ReplayLink = {
    send: async (raw) => {
      const text = Buffer.from(raw.subarray(6, -1)).toString();
      sent.push(text);
      const reply = answer(text);
      if (reply !== undefined) replies.push(row('in', 0, 0x11, reply));
      return true;
    },
    replies: () => replies,
    progress: () => {},
    signal: new AbortController().signal,
    asFastAsPossible: true,
    timeoutMs: 200,
    ...options,
  };
  return { link, sent };
}

describe('replay over the window’s link', () => {
  it('sends the client side in order and finds no differences when the peer answers as recorded', async () => {
    const { link, sent } = fakeLink(() => 'OK');
    const outcome = await replayOverLink(recording, link);
    expect(sent).toEqual(['one', 'two']);
    expect(outcome).toMatchObject({ sent: 2, expected: 2, got: 2, differences: [], interrupted: false });
  });

  it('keeps the recorded pace unless asked to go as fast as possible', async () => {
    const { link } = fakeLink(() => 'OK', { asFastAsPossible: false });
    const started = performance.now();
    await replayOverLink(recording, link);
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
  });

  it('lists a different reply and a missing one', async () => {
    const { link } = fakeLink((text) => (text === 'one' ? 'NO' : undefined));
    const outcome = await replayOverLink(recording, link);
    expect(outcome.differences.map((d) => [d.reply, d.expected?.raw.length, d.got?.raw.length])).toEqual([
      [1, 9, 9],
      [2, 9, undefined],
    ]);
  });

  it('stops when asked, and says the comparison is of what happened so far', async () => {
    const abort = new AbortController();
    const { link, sent } = fakeLink(() => {
      abort.abort();
      return 'OK';
    }, { signal: abort.signal });
    const outcome = await replayOverLink(recording, link);
    expect(sent).toEqual(['one']);
    expect(outcome.interrupted).toBe(true);
  });
});
