/**
 * The kinds of match and action a rule may have, and each action's defaults: the lists the
 * schema (rules.ts) and the Automation panel both use. No zod here, so the renderer can
 * import it without the schema library.
 */
export const MATCH_KINDS = ['any', 'contains', 'regex', 'hex'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** What a rule does: reply, or one way of getting the matching packet's ACK wrong. */
export const ACTION_KINDS = [
  'reply',
  'drop-ack',
  'delay-ack',
  'corrupt-crc',
  'corrupt-byte',
  'split-ack',
  'duplicate-ack',
  'junk-before-ack',
  'close',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** A new action of each kind, as the editor makes it when a row's action changes (the schema's defaults). */
export const DEFAULT_ACTIONS = {
  reply: { kind: 'reply', format: 'text', template: 'OK {counter}', delayMs: 0 },
  'drop-ack': { kind: 'drop-ack' },
  'delay-ack': { kind: 'delay-ack', delayMs: 500 },
  'corrupt-crc': { kind: 'corrupt-crc' },
  'corrupt-byte': { kind: 'corrupt-byte', offset: 3, xor: 0xff },
  'split-ack': { kind: 'split-ack', parts: 2, gapMs: 20 },
  'duplicate-ack': { kind: 'duplicate-ack', copies: 2 },
  'junk-before-ack': { kind: 'junk-before-ack', junk: 'DE AD BE EF' },
  close: { kind: 'close' },
} as const;
