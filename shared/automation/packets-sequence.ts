/**
 * Sequences: steps run in order against a link. A step may carry a label; `repeat` jumps back
 * to one a bounded number of times, and a wait that times out may go to one. Everything is
 * bounded: steps per sequence, repeat counts, each wait and delay, the whole run's time and
 * the number of steps it may execute, so a hostile file cannot make a run go on for ever.
 */
import { z } from 'zod';
import { SEND_INPUT_MAX } from '../limits.ts';
import { checkMatch } from './packet-match.ts';

/** Steps in one sequence. */
export const SEQUENCE_MAX_STEPS = 1000;
/** Times one repeat step may jump back. */
export const SEQUENCE_MAX_REPEAT = 100_000;
/** The longest wait or delay (ms): an hour. */
export const SEQUENCE_MAX_WAIT_MS = 3_600_000;
/** The longest a run may take (ms): a day; each sequence may set less, default 10 minutes. */
export const SEQUENCE_MAX_RUN_MS = 86_400_000;
export const SEQUENCE_DEFAULT_RUN_MS = 600_000;
/** Steps one run may execute in all (repeats count each time). */
export const SEQUENCE_MAX_EXECUTED_STEPS = 1_000_000;

const byte = z.number().int().min(0).max(255);
const label = z.string().trim().min(1).max(64);

/** A packet written in the step itself rather than picked from the saved ones. */
export const inlinePacketSchema = z.strictObject({
  format: z.enum(['text', 'hex', 'raw']).default('text'),
  body: z.string().max(SEND_INPUT_MAX),
  type: byte.default(0x10),
  version: byte.default(1),
});

export const packetMatchSchema = z
  .strictObject({
    type: byte.optional(),
    text: z.string().max(1000).optional(),
    regex: z.string().max(1000).optional(),
    hex: z.string().max(1000).optional(),
  })
  .superRefine((match, ctx) => {
    const why = checkMatch(match);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

const waitMs = z.number().int().min(0).max(SEQUENCE_MAX_WAIT_MS);

export const stepSchema = z.discriminatedUnion('do', [
  // A saved packet by its id, or one written here.
  z
    .strictObject({ do: z.literal('send'), label: label.optional(), packet: z.string().min(1).max(64).optional(), inline: inlinePacketSchema.optional() })
    .refine((step) => (step.packet === undefined) !== (step.inline === undefined), 'A send step names a saved "packet" or gives an "inline" one (one of the two).'),
  z.strictObject({
    do: z.literal('wait'),
    label: label.optional(),
    match: packetMatchSchema.default({}),
    timeoutMs: waitMs.min(1),
    /** fail: the run fails; continue: go on with the next step; { goto }: go to that label. */
    onTimeout: z.union([z.literal('fail'), z.literal('continue'), z.strictObject({ goto: label })]).default('fail'),
  }),
  z.strictObject({ do: z.literal('delay'), label: label.optional(), ms: waitMs }),
  z.strictObject({ do: z.literal('repeat'), label: label.optional(), goto: label, times: z.number().int().min(1).max(SEQUENCE_MAX_REPEAT) }),
  z.strictObject({ do: z.literal('fail'), label: label.optional(), message: z.string().max(500).default('The sequence reached a fail step.') }),
]);

export const sequenceSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'An id is 1 to 64 letters, digits, _ . or -.'),
    name: z.string().trim().min(1).max(100),
    folder: z.string().trim().max(100).default(''),
    steps: z.array(stepSchema).min(1).max(SEQUENCE_MAX_STEPS),
    maxRunMs: z.number().int().min(1).max(SEQUENCE_MAX_RUN_MS).default(SEQUENCE_DEFAULT_RUN_MS),
  })
  .superRefine((sequence, ctx) => {
    const labels = new Set<string>();
    for (const [i, step] of sequence.steps.entries()) {
      if (step.label === undefined) continue;
      if (labels.has(step.label)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'label'], message: `The label "${step.label}" is used twice.` });
      labels.add(step.label);
    }
    for (const [i, step] of sequence.steps.entries()) {
      const target = step.do === 'repeat' ? step.goto : step.do === 'wait' && typeof step.onTimeout === 'object' ? step.onTimeout.goto : undefined;
      if (target !== undefined && !labels.has(target)) {
        ctx.addIssue({ code: 'custom', path: ['steps', i], message: `No step has the label "${target}".` });
      }
    }
  });

export type InlinePacket = z.output<typeof inlinePacketSchema>;
export type SequenceStep = z.output<typeof stepSchema>;
export type Sequence = z.output<typeof sequenceSchema>;
export type SequenceInput = z.input<typeof sequenceSchema>;

/** What a step did, as a run reports it (the CLI prints it, the Packets panel lists it). */
export type StepOutcome = 'sent' | 'matched' | 'timed-out' | 'waited' | 'repeated' | 'failed';

export interface StepEvent {
  /** Index in the sequence's steps, from 0. */
  index: number;
  label?: string;
  step: SequenceStep['do'];
  outcome: StepOutcome;
  /** The outcome in words: `sent "Ping" (DATA, 6 bytes)`, `got ACK "OK" after 3 ms`. */
  detail: string;
  at: number;
}

export type RunState = 'idle' | 'running' | 'paused' | 'passed' | 'failed' | 'stopped';
