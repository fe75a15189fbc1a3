/**
 * The sequence runner's controls and bounds, with an in-memory link: pause between steps,
 * step one at a time, stop in the middle of a wait, a wait that finds a packet that arrived
 * during a delay, a loop of sends that never blocks the event loop and hits the step limit,
 * nested repeats. (Over real sockets: tests/integration/sequence.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { sequenceSchema, type SequenceInput } from '../../shared/automation/packets-sequence.ts';
import { SequenceRunner, type SequenceOutgoing, type StepEvent } from '../../electron/main/automation/sequence-runner.ts';
import { utf8Encode } from '../../shared/msp/index.ts';
import { waitFor } from '../helpers/wait.ts';

function setup(input: Omit<SequenceInput, 'id' | 'name'>, startPaused = false, maxExecutedSteps?: number) {
  const sequence = sequenceSchema.parse({ id: 's', name: 'S', ...input });
  const sent: SequenceOutgoing[] = [];
  const steps: StepEvent[] = [];
  const runner = new SequenceRunner(sequence, [], { send: (o) => (sent.push(o), { ok: true }) }, {
    onStep: (e) => steps.push(e),
    startPaused,
    ...(maxExecutedSteps ? { maxExecutedSteps } : {}),
  });
  return { runner, sent, steps, result: runner.run() };
}

const data = (text: string) => ({ version: 1, type: 0x10, payload: utf8Encode(text) });

describe('SequenceRunner', () => {
  it('pauses between steps, runs one step at a time, and resumes', async () => {
    const { runner, sent, steps, result } = setup(
      { steps: [{ do: 'send', inline: { body: 'a' } }, { do: 'send', inline: { body: 'b' } }, { do: 'send', inline: { body: 'c' } }] },
      true,
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toHaveLength(0);
    expect(runner.currentState).toBe('paused');
    runner.step();
    await waitFor(() => sent.length === 1, 'one step');
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toHaveLength(1);
    runner.step();
    await waitFor(() => sent.length === 2, 'the second step');
    runner.resume();
    expect(await result).toMatchObject({ ok: true, steps: 3 });
    expect(steps.map((s) => s.detail)).toEqual(['sent inline packet (DATA, 1 bytes)', 'sent inline packet (DATA, 1 bytes)', 'sent inline packet (DATA, 1 bytes)']);
    expect(runner.currentState).toBe('passed');
  });

  it('stops in the middle of a long wait at once', async () => {
    const { runner, result } = setup({ steps: [{ do: 'wait', timeoutMs: 3_600_000 }] });
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    runner.stop();
    expect(await result).toMatchObject({ ok: false, code: 'SEQ_ERR_STOPPED' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('finds a packet that arrived during a delay, and drops what came before it', async () => {
    const { runner, steps, result } = setup({
      steps: [{ do: 'delay', ms: 50 }, { do: 'wait', match: { text: 'two' }, timeoutMs: 1000 }, { do: 'wait', match: { text: 'one' }, timeoutMs: 100, onTimeout: 'continue' }],
    });
    runner.receive(data('one'));
    runner.receive(data('two'));
    expect(await result).toMatchObject({ ok: true });
    expect(steps[1]).toMatchObject({ outcome: 'matched', detail: expect.stringMatching(/^got DATA "two"/) });
    expect(steps[2]).toMatchObject({ outcome: 'timed-out', detail: 'nothing matching text "one" within 0.1 s; going on' });
  });

  it('runs nested repeats the right number of times', async () => {
    const { sent, result } = setup({
      steps: [
        { do: 'send', label: 'outer', inline: { body: 'o{{counter}}' } },
        { do: 'send', label: 'inner', inline: { body: 'i' } },
        { do: 'repeat', goto: 'inner', times: 2 },
        { do: 'repeat', goto: 'outer', times: 1 },
      ],
    });
    expect(await result).toMatchObject({ ok: true });
    const texts = sent.map((o) => (o.kind === 'packet' ? new TextDecoder().decode(o.packet.payload) : ''));
    expect(texts).toEqual(['o1', 'i', 'i', 'i', 'o2', 'i', 'i', 'i']);
  });

  it('a loop of sends with no delay hits the step limit without blocking the event loop', async () => {
    const { sent, result } = setup({
      steps: [{ do: 'send', label: 'a', inline: { format: 'raw', body: '00' } }, { do: 'repeat', goto: 'a', times: 100_000 }, { do: 'repeat', goto: 'a', times: 100_000 }],
    }, false, 20_000);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const outcome = await result;
    clearInterval(ticker);
    expect(outcome).toMatchObject({ ok: false, code: 'SEQ_ERR_STEP_LIMIT' });
    expect(sent.length).toBe(10_000); // every other step is a send
    expect(ticks).toBeGreaterThan(0);
  }, 60_000);

  it('keeps at most 256 packets for the next wait', async () => {
    const { runner, steps, result } = setup({ steps: [{ do: 'delay', ms: 30 }, { do: 'wait', match: { text: 'p0' }, timeoutMs: 50, onTimeout: 'continue' }, { do: 'wait', match: { text: 'p299' }, timeoutMs: 50 }] });
    for (let i = 0; i < 300; i++) runner.receive(data(`p${i}`));
    expect(await result).toMatchObject({ ok: false });
    // p0 was dropped (only the newest 256 kept), and the timeout of the first wait emptied the inbox.
    expect(steps[1]).toMatchObject({ outcome: 'timed-out' });
  });
});
