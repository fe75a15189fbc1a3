/**
 * Which received packet a sequence's wait step is waiting for: by TYPE, by text in the payload,
 * by a regular expression over the payload text, or by a hex mask over the payload's first
 * bytes (`4F ?? 01`: `??` is any byte). Every criterion given must hold; none means any packet.
 *
 * A pattern comes from a file someone else may have written, so it is checked before use:
 * short, and free of the nested repetition (`(a+)+`) and back-references that make JavaScript's
 * backtracking engine take exponential time; and it only ever sees the payload's first
 * MATCH_TEXT_MAX characters.
 */
import { parseHex, utf8DecodeStrict, type Packet } from '../msp/index.ts';
import { fail, ok, type Result } from '../result.ts';

export interface PacketMatch {
  type?: number;
  text?: string;
  regex?: string;
  hex?: string;
}

/** Longest pattern accepted. */
export const REGEX_MAX = 200;
/** Payload characters a text or regex criterion looks at. */
export const MATCH_TEXT_MAX = 4096;
/** Bytes in a hex mask. */
export const MASK_MAX = 256;

/** A mask as bytes and which of them count (`??` does not). */
export interface HexMask {
  bytes: Uint8Array;
  care: boolean[];
}

export function parseHexMask(text: string): Result<HexMask, string> {
  const tokens = text.trim() === '' ? [] : text.trim().split(/[\s,:]+/);
  if (tokens.length > MASK_MAX) return fail(`A hex mask has at most ${MASK_MAX} bytes.`);
  const bytes = new Uint8Array(tokens.length);
  const care: boolean[] = [];
  for (const [i, token] of tokens.entries()) {
    if (token === '??') {
      care.push(false);
      continue;
    }
    const byte = parseHex(token);
    if (!byte.ok || byte.value.length !== 1) return fail(`"${token}" in the hex mask is not a byte (two hex digits) or ??.`);
    bytes[i] = byte.value[0];
    care.push(true);
  }
  return ok({ bytes, care });
}

/** Why a pattern is refused, or undefined when it is safe to run. */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > REGEX_MAX) return `A pattern has at most ${REGEX_MAX} characters.`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'Back-references (\\1, \\k<name>) are not allowed: they can make matching take very long.';
  // A quantified group that itself contains a quantifier or an alternation: (a+)+, (a|aa)*, (x*){2,}.
  if (/\([^()]*([+*}]|\|)[^()]*\)\s*([+*]|\{\d+,)/.test(pattern)) {
    return 'Nested repetition such as (a+)+ or (a|b)* is not allowed: it can make matching take very long.';
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `Not a valid pattern: ${(error as Error).message}`;
  }
  return undefined;
}

/** Checks every criterion once, before a sequence runs. */
export function checkMatch(match: PacketMatch): string | undefined {
  if (match.regex !== undefined) {
    const why = checkRegex(match.regex);
    if (why) return why;
  }
  if (match.hex !== undefined) {
    const mask = parseHexMask(match.hex);
    if (!mask.ok) return mask.error;
  }
  return undefined;
}

/** A match ready to run: the pattern compiled and the mask parsed once. */
export type Matcher = (packet: Packet) => boolean;

export function compileMatch(match: PacketMatch): Result<Matcher, string> {
  const why = checkMatch(match);
  if (why) return fail(why);
  const regex = match.regex !== undefined ? new RegExp(match.regex, 'u') : undefined;
  const mask = match.hex !== undefined ? (parseHexMask(match.hex) as { ok: true; value: HexMask }).value : undefined;
  return ok((packet) => {
    if (match.type !== undefined && packet.type !== match.type) return false;
    if (mask) {
      if (packet.payload.length < mask.bytes.length) return false;
      for (let i = 0; i < mask.bytes.length; i++) if (mask.care[i] && packet.payload[i] !== mask.bytes[i]) return false;
    }
    if (match.text !== undefined || regex) {
      // A payload is at most 64 KiB, so decoding it whole is bounded; the pattern sees only its start.
      const text = utf8DecodeStrict(packet.payload)?.slice(0, MATCH_TEXT_MAX);
      if (text === undefined) return false;
      if (match.text !== undefined && !text.includes(match.text)) return false;
      if (regex && !regex.test(text)) return false;
    }
    return true;
  });
}

/** The criteria in words, for a step's outcome line: `TYPE 0x11, text "OK"`. */
export function describeMatch(match: PacketMatch): string {
  const parts: string[] = [];
  if (match.type !== undefined) parts.push(`TYPE 0x${match.type.toString(16).toUpperCase().padStart(2, '0')}`);
  if (match.text !== undefined) parts.push(`text "${match.text}"`);
  if (match.regex !== undefined) parts.push(`regex /${match.regex}/`);
  if (match.hex !== undefined) parts.push(`hex ${match.hex}`);
  return parts.length === 0 ? 'any packet' : parts.join(', ');
}
