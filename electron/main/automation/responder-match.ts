/**
 * A rule's match, compiled once: a function from a received packet to its captures (the
 * regex's groups, or just the whole text) or null when the rule does not apply.
 */
import type { RuleMatch } from '../../../shared/automation/rules.ts';
import { RULES_LIMITS } from '../../../shared/limits.ts';
import { parseHex } from '../../../shared/msp/index.ts';
import type { HookPacket } from '../link/packet-hook.ts';
import { compileRuleRegex } from './responder-regex.ts';

/** A received packet with its text decoded at most once, however many rules look at it. */
export class PacketView {
  private decoded: string | undefined;
  constructor(
    readonly packet: HookPacket,
    readonly peer: string,
  ) {}

  /** The payload as text (invalid UTF-8 as U+FFFD), decoded on first use. */
  get text(): string {
    this.decoded ??= textDecoder.decode(this.packet.payload);
    return this.decoded;
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const REGEX_INPUT_MAX = RULES_LIMITS.regexInputChars;

export type Captures = ReadonlyArray<string | undefined>;
export type Matcher = (view: PacketView) => Captures | null;

export function compileMatch(match: RuleMatch): { ok: true; matcher: Matcher } | { ok: false; problem: string } {
  const payloadMatch = compilePayloadMatch(match);
  if (!payloadMatch.ok) return payloadMatch;
  const test = payloadMatch.matcher;
  const { type, peer } = match;
  return {
    ok: true,
    matcher: (view) => {
      if (type !== undefined && view.packet.type !== type) return null;
      if (peer !== undefined && peer !== '' && !view.peer.includes(peer)) return null;
      return test(view);
    },
  };
}

function compilePayloadMatch(match: RuleMatch): { ok: true; matcher: Matcher } | { ok: false; problem: string } {
  switch (match.kind) {
    case 'any':
      return { ok: true, matcher: () => [] };
    case 'contains': {
      const needle = match.pattern;
      return { ok: true, matcher: (view) => (view.text.includes(needle) ? [needle] : null) };
    }
    case 'regex': {
      const compiled = compileRuleRegex(match.pattern);
      if (!compiled.ok) return compiled;
      const regex = compiled.regex;
      return {
        ok: true,
        matcher: (view) => {
          const text = view.text;
          return regex.exec(text.length > REGEX_INPUT_MAX ? text.slice(0, REGEX_INPUT_MAX) : text);
        },
      };
    }
    case 'hex': {
      const bytes = parseHex(match.pattern);
      const mask = match.mask !== undefined ? parseHex(match.mask) : undefined;
      if (!bytes.ok) return { ok: false, problem: bytes.error.message };
      if (mask && !mask.ok) return { ok: false, problem: mask.error.message };
      const want = bytes.value;
      const bits = mask?.value ?? new Uint8Array(want.length).fill(0xff);
      return { ok: true, matcher: (view) => (startsWithMasked(view.packet.payload, want, bits) ? [] : null) };
    }
  }
}

/** Whether the payload starts with `want`, comparing only the bits set in `mask`. */
function startsWithMasked(payload: Uint8Array, want: Uint8Array, mask: Uint8Array): boolean {
  if (payload.length < want.length) return false;
  for (let i = 0; i < want.length; i++) if (((payload[i] ^ want[i]) & mask[i]) !== 0) return false;
  return true;
}
