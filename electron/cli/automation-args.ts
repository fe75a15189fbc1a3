/**
 * The automation flags: --rules FILE (an auto-responder on a server, a serial responder or a
 * client), --impair SPEC and --seed N (impairment on a server or a bridge). Kept apart from
 * args.ts like the serial flags; a bad file or spec is refused at start with the field named.
 */
import { randomInt } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { impairmentFromJson, impairs, parseImpairment, type Impairment } from '../../shared/automation/impairment.ts';
import { parseRulesJson, type Rule } from '../../shared/automation/rules.ts';
import { IMPAIRMENT_LIMITS, RULES_LIMITS } from '../../shared/limits.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { Responder } from '../main/automation/responder.ts';

export interface AutomationConfig {
  /** --rules: the rules, already checked (every regex compiled). */
  rules?: Rule[];
  /** --impair and --seed (a random seed when not given, printed so the run can be repeated). */
  impairment?: { settings: Impairment; seed: number };
}

export const AUTOMATION_FLAGS = {
  rules: { type: 'string' },
  impair: { type: 'string' },
  seed: { type: 'string' },
} as const;

export const AUTOMATION_USAGE = `Automation:
  --rules FILE        server, serial responder, client: answer packets by the rules in FILE (JSON,
                      see README "Auto-responder rules"): reply with a template, or bend the ACK
                      (drop, delay, corrupt, split, duplicate, junk before it, close the link)
  --impair SPEC       server, bridge: impair what is sent, like netem: SPEC is
                      "delay=50ms,jitter=10ms,rate=64kbit,drop=1%,corrupt=1%,duplicate=1%,split=1%,reorder=1%"
                      (any of them) or the path of a JSON file with those keys
  --seed N            with --impair: the random seed (0..4294967295), to repeat a run exactly [random, printed]`;

type Values = { rules?: string; impair?: string; seed?: string };

export function parseAutomationFlags(v: Values, mode: 'server' | 'client' | 'bridge'): Result<AutomationConfig, string> {
  const out: AutomationConfig = {};
  if (v.rules !== undefined) {
    if (mode === 'bridge') return fail('--rules is for --mode server or client; a bridge forwards packets untouched (use --impair).');
    const rules = readRules(v.rules);
    if (!rules.ok) return rules;
    out.rules = rules.value;
  }
  if (v.seed !== undefined && v.impair === undefined) return fail('--seed goes with --impair.');
  if (v.impair !== undefined) {
    if (mode === 'client') return fail('--impair is for --mode server or bridge (it impairs what they send).');
    const settings = readImpairment(v.impair);
    if (!settings.ok) return settings;
    let seed = randomInt(0, 0xffff_ffff);
    if (v.seed !== undefined) {
      if (!/^\d+$/.test(v.seed) || Number(v.seed) > 0xffff_ffff) return fail(`--seed must be a whole number from 0 to 4294967295, got "${v.seed}".`);
      seed = Number(v.seed);
    }
    if (impairs(settings.value)) out.impairment = { settings: settings.value, seed };
  }
  return ok(out);
}

function readRules(path: string): Result<Rule[], string> {
  const text = readBounded(path, RULES_LIMITS.fileBytes);
  if (!text.ok) return fail(`--rules ${path}: ${text.error}`);
  const parsed = parseRulesJson(text.value);
  if (!parsed.ok) return fail(`--rules ${path}: ${parsed.message}`);
  // Compiled once now so a regex main cannot run is refused at start, not at the first packet.
  const compiled = Responder.create(parsed.value.rules);
  if (!compiled.ok) return fail(`--rules ${path}: ${compiled.message}`);
  return ok(parsed.value.rules);
}

/** Text with "=" is a spec; anything else is a JSON file's path. */
function readImpairment(spec: string): Result<Impairment, string> {
  if (spec.includes('=')) {
    const parsed = parseImpairment(spec);
    return parsed.ok ? parsed : fail(`--impair: ${parsed.message}`);
  }
  const text = readBounded(spec, IMPAIRMENT_LIMITS.specChars);
  if (!text.ok) return fail(`--impair ${spec}: ${text.error}`);
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch (error) {
    return fail(`--impair ${spec}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = impairmentFromJson(json);
  return parsed.ok ? parsed : fail(`--impair ${spec}: ${parsed.message}`);
}

/** A file's text, refused when it is larger than `maxBytes` (never read whole: it may be a device or a huge log). */
function readBounded(path: string, maxBytes: number): Result<string, string> {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      let length = 0;
      for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
      if (length > maxBytes) return fail(`the file is larger than ${maxBytes / 1024} KiB`);
      return ok(buffer.subarray(0, length).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message);
  }
}
