/**
 * Rule regexes run on V8's linear-time engine (the `l` flag): it never backtracks, so no
 * pattern, however evil (`(a+)+$`, `\w+\w+\w+x`), costs more than time proportional to the
 * pattern's size times the input's. The engine sits behind a V8 flag, switched on here once
 * before the first rule regex is made; it only changes what the `l` flag means and does
 * nothing to other regexes. Where it cannot be switched on, regex rules are refused (never run
 * on the backtracking engine). The input is also cut to RULES_LIMITS.regexInputChars.
 */
import { setFlagsFromString } from 'node:v8';
import { regexPatternProblem } from '../../../shared/automation/rules-regex.ts';

let linearEngine: boolean | undefined;

function linearEngineAvailable(): boolean {
  if (linearEngine === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('a', 'l');
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/** The pattern compiled for the linear engine, or why it cannot be. */
export function compileRuleRegex(pattern: string): { ok: true; regex: RegExp } | { ok: false; problem: string } {
  const problem = regexPatternProblem(pattern);
  if (problem) return { ok: false, problem };
  if (!linearEngineAvailable()) {
    return { ok: false, problem: "regex rules need V8's linear-time regex engine, which this runtime does not offer" };
  }
  try {
    return { ok: true, regex: new RegExp(pattern, 'l') };
  } catch {
    // The engine's own refusal (a counted group it would have to unroll too far): say it plainly.
    return { ok: false, problem: 'this pattern cannot be matched in linear time (a repeated group is too large): simplify it' };
  }
}
