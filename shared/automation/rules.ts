/**
 * Auto-responder rules as data: the JSON a rules file holds (`msp --rules FILE`), what the
 * Automation panel edits and what main runs (electron/main/automation/responder.ts). Rules are
 * tried in order; the first enabled rule whose match fits a received packet acts, the rest are
 * skipped. A rule either replies (a template filled with the regex's captures and a counter),
 * or misbehaves on purpose with the ACK the packet would get, to test how a device copes.
 *
 * A rules file is hostile input: its size, the number of rules, every string and number are
 * bounded (RULES_LIMITS), unknown fields are refused, and regexes run in linear time
 * (rules-regex.ts). Parsing never throws: a bad file gives one message naming the field.
 */
import { z } from 'zod';
import { RULES_LIMITS } from '../limits.ts';
import { PacketType, parseHex } from '../msp/index.ts';
import { regexPatternProblem } from './rules-regex.ts';
import { parseTemplate } from './rules-template.ts';
import { ACTION_KINDS, DEFAULT_ACTIONS, MATCH_KINDS, type ActionKind, type MatchKind } from './rules-kinds.ts';

export const RULES_FILE_VERSION = 1;

export { ACTION_KINDS, MATCH_KINDS, type ActionKind, type MatchKind } from './rules-kinds.ts';

/** The packet types a rule may name instead of a number. */
const TYPE_BY_NAME: Record<string, number> = PacketType;

const typeSchema = z.preprocess(
  (value) => (typeof value === 'string' && value in TYPE_BY_NAME ? TYPE_BY_NAME[value] : value),
  z.number({ error: 'must be a packet TYPE: a number 0..255 or a name such as "DATA"' }).int().min(0).max(255),
);

const hexSchema = z
  .string()
  .max(RULES_LIMITS.hexBytes * 3)
  .superRefine((text, ctx) => {
    const parsed = parseHex(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `not hex: ${parsed.error.message}` });
  });

const delaySchema = z.number().int().min(0).max(RULES_LIMITS.delayMs);

export const ruleMatchSchema = z
  .strictObject({
    kind: z.enum(MATCH_KINDS),
    /** contains: the text; regex: the pattern; hex: the bytes the payload starts with. */
    pattern: z.string().max(RULES_LIMITS.patternChars * 3).default(''),
    /** hex only: which bits of each byte count (FF = all), as many bytes as the pattern. */
    mask: hexSchema.optional(),
    /** Only packets of this TYPE (after a secure channel opened them); any type when left out. */
    type: typeSchema.optional(),
    /** Only packets from a peer whose name contains this ("127.0.0.1", "ttyUSB0"). */
    peer: z.string().max(RULES_LIMITS.peerChars).optional(),
  })
  .superRefine((match, ctx) => {
    const problem = matchProblem(match);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

export const ruleActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('reply'),
    /** text: the filled-in template as UTF-8; hex: the filled-in template read as hex. */
    format: z.enum(['text', 'hex']).default('text'),
    template: z.string().max(RULES_LIMITS.templateChars),
    /** The reply's TYPE; DATA when left out (sealed like any DATA on a secure link). */
    type: typeSchema.optional(),
    delayMs: delaySchema.default(0),
  }),
  z.strictObject({ kind: z.literal('drop-ack') }),
  z.strictObject({ kind: z.literal('delay-ack'), delayMs: delaySchema }),
  z.strictObject({ kind: z.literal('corrupt-crc') }),
  z.strictObject({
    kind: z.literal('corrupt-byte'),
    /** Which byte of the ACK frame (0 = the first SYNC byte); past its end means the last. */
    offset: z.number().int().min(0).max(65_535).default(3),
    /** XORed into that byte. */
    xor: z.number().int().min(1).max(255).default(0xff),
  }),
  z.strictObject({
    kind: z.literal('split-ack'),
    parts: z.number().int().min(2).max(RULES_LIMITS.splitParts).default(2),
    /** Pause between the parts, so they arrive in separate reads. */
    gapMs: z.number().int().min(0).max(RULES_LIMITS.splitGapMs).default(20),
  }),
  z.strictObject({
    kind: z.literal('duplicate-ack'),
    /** How many times the ACK is sent in all. */
    copies: z.number().int().min(2).max(RULES_LIMITS.duplicateCopies).default(2),
  }),
  z.strictObject({
    kind: z.literal('junk-before-ack'),
    junk: hexSchema.default('DE AD BE EF'),
  }),
  z.strictObject({ kind: z.literal('close') }),
]);

export const ruleSchema = z.strictObject({
  name: z.string().max(RULES_LIMITS.nameChars).default(''),
  enabled: z.boolean().default(true),
  match: ruleMatchSchema,
  action: ruleActionSchema.superRefine((action, ctx) => {
    if (action.kind !== 'reply') return;
    const parsed = parseTemplate(action.template);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['template'], message: parsed.problem });
  }),
});

export const rulesFileSchema = z.strictObject({
  version: z.literal(RULES_FILE_VERSION).default(RULES_FILE_VERSION),
  rules: z.array(ruleSchema).max(RULES_LIMITS.rules, `at most ${RULES_LIMITS.rules} rules`),
});

export type RuleMatch = z.output<typeof ruleMatchSchema>;
export type RuleAction = z.output<typeof ruleActionSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type RulesFile = z.output<typeof rulesFileSchema>;

/** What is wrong with a match, and in which field; undefined when it is fine. */
function matchProblem(match: { kind: MatchKind; pattern: string; mask?: string }): { field: string; message: string } | undefined {
  switch (match.kind) {
    case 'any':
      return undefined;
    case 'contains':
      if (match.pattern === '') return { field: 'pattern', message: 'the text to look for is empty' };
      if (match.pattern.length > RULES_LIMITS.patternChars) return { field: 'pattern', message: `longer than ${RULES_LIMITS.patternChars} characters` };
      return undefined;
    case 'regex': {
      const problem = regexPatternProblem(match.pattern);
      return problem ? { field: 'pattern', message: problem } : undefined;
    }
    case 'hex': {
      const bytes = parseHex(match.pattern);
      if (!bytes.ok) return { field: 'pattern', message: `not hex: ${bytes.error.message}` };
      if (bytes.value.length === 0) return { field: 'pattern', message: 'no bytes to look for' };
      if (bytes.value.length > RULES_LIMITS.hexBytes) return { field: 'pattern', message: `more than ${RULES_LIMITS.hexBytes} bytes` };
      if (match.mask !== undefined) {
        const mask = parseHex(match.mask);
        if (mask.ok && mask.value.length !== bytes.value.length) {
          return { field: 'mask', message: `the mask has ${mask.value.length} bytes, the pattern ${bytes.value.length}: give one mask byte per pattern byte` };
        }
      }
      return undefined;
    }
  }
}

/**
 * Reads a rules file's JSON text. Never throws: the error names the field that is wrong
 * (`rules[2].action.parts: ...`) so a person can fix it.
 */
export function parseRulesJson(text: string): { ok: true; value: RulesFile } | { ok: false; message: string } {
  if (text.length > RULES_LIMITS.fileBytes) return { ok: false, message: `it is larger than ${RULES_LIMITS.fileBytes / 1024} KiB` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${(error as Error).message}` };
  }
  return checkRules(json);
}

/** Checks rules already parsed from JSON (an IPC request, an import). */
export function checkRules(json: unknown): { ok: true; value: RulesFile } | { ok: false; message: string } {
  const result = rulesFileSchema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, message: `${fieldPath(issue.path)}: ${issue.message}` };
}

/** `rules[2].action.parts`, as a person reads a JSON path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(the file)';
}

/** A new action of this kind with its defaults, for the editor switching a row's action. */
export function defaultAction(kind: ActionKind): RuleAction {
  return ruleActionSchema.parse(DEFAULT_ACTIONS[kind]);
}

/** The rules a link runs now and how often each fired (the Automation panel's counts). */
export interface RulesStatus {
  rules: number;
  /** In rule order. */
  fired: number[];
}
