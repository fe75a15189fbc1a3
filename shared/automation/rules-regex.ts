/**
 * What a rule's regex may be. A pattern comes from a rules file anyone may hand us, so it is
 * matched by V8's linear-time engine in main (electron/main/automation/responder-regex.ts):
 * no backtracking, so no catastrophic backtracking (ReDoS), whatever the pattern. That engine
 * cannot run backreferences, lookaround or large counted repeats; this check refuses exactly
 * those, with a reason a person can act on, so the editor and the CLI say so before main does.
 * Patterns are also short (RULES_LIMITS.patternChars) and see at most the first
 * RULES_LIMITS.regexInputChars characters of a payload, which bounds each match's cost.
 */
import { RULES_LIMITS } from '../limits.ts';

/** Why a pattern is refused, or undefined when it is fine. */
export function regexPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'the regex is empty';
  if (pattern.length > RULES_LIMITS.patternChars) return `the regex is longer than ${RULES_LIMITS.patternChars} characters`;
  try {
    new RegExp(pattern);
  } catch (error) {
    return `not a valid regex: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<'))) {
        return 'backreferences (\\1, \\k<name>) are not allowed: they cannot be matched in linear time';
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && pattern[i + 1] === '?') {
      const a = pattern[i + 2];
      if (a === '=' || a === '!' || (a === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!'))) {
        return 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not allowed: they cannot be matched in linear time';
      }
    } else if (c === '{') {
      const count = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 24));
      if (count && Math.max(Number(count[1]), Number(count[2] || 0)) > RULES_LIMITS.regexRepeatMax) {
        return `a repeat count over ${RULES_LIMITS.regexRepeatMax} ({n,m}) is not allowed`;
      }
    }
  }
  return undefined;
}
