/** The rules schema, the regex check and reply templates: what a rules file may say, and what each part means. */
import { describe, expect, it } from 'vitest';
import { checkRules, defaultAction, fieldPath, parseRulesJson } from '../../shared/automation/rules.ts';
import { ACTION_KINDS, DEFAULT_ACTIONS } from '../../shared/automation/rules-kinds.ts';
import { regexPatternProblem } from '../../shared/automation/rules-regex.ts';
import { parseTemplate, renderTemplate } from '../../shared/automation/rules-template.ts';
import { compileRuleRegex } from '../../electron/main/automation/responder-regex.ts';

const message = (json: unknown) => {
  const checked = checkRules(json);
  return checked.ok ? 'ok' : checked.message;
};

describe('rules schema', () => {
  it('fills defaults and takes TYPE names', () => {
    const parsed = parseRulesJson('{"rules":[{"match":{"kind":"any","type":"ACK"},"action":{"kind":"split-ack"}}]}');
    expect(parsed).toEqual({
      ok: true,
      value: { version: 1, rules: [{ name: '', enabled: true, match: { kind: 'any', pattern: '', type: 0x11 }, action: { kind: 'split-ack', parts: 2, gapMs: 20 } }] },
    });
  });

  it('names the field that is wrong', () => {
    expect(message({ rules: [{ match: { kind: 'contains', pattern: '' }, action: { kind: 'close' } }] })).toBe('rules[0].match.pattern: the text to look for is empty');
    expect(message({ rules: [{ match: { kind: 'hex', pattern: '' }, action: { kind: 'close' } }] })).toMatch(/^rules\[0\]\.match\.pattern: no bytes/);
    expect(message({ rules: [{ match: { kind: 'any' }, action: { kind: 'delay-ack' } }] })).toMatch(/^rules\[0\]\.action\.delayMs: /);
    expect(message({ rules: [{ match: { kind: 'any' }, action: { kind: 'delay-ack', delayMs: 1e9 } }] })).toMatch(/^rules\[0\]\.action\.delayMs: /);
    expect(message({ rules: [{ match: { kind: 'any' }, action: { kind: 'junk-before-ack', junk: 'G' } }] })).toMatch(/^rules\[0\]\.action\.junk: not hex/);
    expect(message({ rules: [{ match: { kind: 'any', type: 300 }, action: { kind: 'close' } }] })).toMatch(/^rules\[0\]\.match\.type: /);
    expect(message({ version: 2, rules: [] })).toMatch(/^version: /);
    expect(message({ rules: 'all' })).toMatch(/^rules: /);
    expect(message(null)).toMatch(/^\(the file\): /);
    expect(parseRulesJson('x'.repeat(300_000))).toEqual({ ok: false, message: 'it is larger than 256 KiB' });
  });

  it('every action kind has defaults the schema accepts', () => {
    for (const kind of ACTION_KINDS) expect(defaultAction(kind)).toEqual(DEFAULT_ACTIONS[kind]);
  });

  it('fieldPath reads like JSON', () => {
    expect(fieldPath(['rules', 2, 'action', 'parts'])).toBe('rules[2].action.parts');
  });
});

describe('regex patterns', () => {
  it('refuses what cannot run in linear time, and says why', () => {
    expect(regexPatternProblem('T=(\\d+)')).toBeUndefined();
    expect(regexPatternProblem('[\\1]x')).toBeUndefined(); // inside a class \1 is not a backreference
    expect(regexPatternProblem('(a)\\1')).toMatch(/backreferences/);
    expect(regexPatternProblem('(?<n>a)\\k<n>')).toMatch(/backreferences/);
    expect(regexPatternProblem('a(?=b)')).toMatch(/lookahead/);
    expect(regexPatternProblem('(?<!a)b')).toMatch(/lookahead/);
    expect(regexPatternProblem('a{101}')).toMatch(/repeat count over 100/);
    expect(regexPatternProblem('a{2,100}')).toBeUndefined();
    expect(regexPatternProblem('(')).toMatch(/^not a valid regex/);
    expect(regexPatternProblem('a'.repeat(201))).toMatch(/longer than 200/);
    expect(regexPatternProblem('')).toMatch(/empty/);
  });

  it('main compiles allowed patterns for the linear engine, which matches evil ones at once', () => {
    const compiled = compileRuleRegex('(a+)+$');
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.regex.flags).toContain('l');
    const started = performance.now();
    expect(compiled.regex.exec('a'.repeat(1024) + '!')).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000); // the backtracking engine would take longer than the universe
  });
});

describe('templates', () => {
  it('fills captures, the counter and the peer; {{ and }} are literal braces', () => {
    const parsed = parseTemplate('{{{1}}} #{counter} from {peer}, all: {0}, none: {5}');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(renderTemplate(parsed.parts, { captures: ['T=21', '21'], counter: 3, peer: 'p' }, 'text')).toBe('{21} #3 from p, all: T=21, none: ');
  });

  it('in hex, the counter is one byte', () => {
    const parsed = parseTemplate('AA {counter}');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(renderTemplate(parsed.parts, { captures: [], counter: 0x1ff, peer: '' }, 'hex')).toBe('AA FF');
  });

  it('says where a placeholder is wrong', () => {
    expect(parseTemplate('ok {nope}')).toEqual({ ok: false, problem: expect.stringMatching(/unknown placeholder at character 4/) });
    expect(parseTemplate('a } b')).toEqual({ ok: false, problem: expect.stringMatching(/lone "}" at character 3/) });
    expect(parseTemplate('{1')).toMatchObject({ ok: false });
  });

  it('stops rendering past what a packet could carry', () => {
    const parsed = parseTemplate('{1}'.repeat(4000));
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(renderTemplate(parsed.parts, { captures: ['', 'x'.repeat(1024)], counter: 1, peer: '' }, 'text')).toBeUndefined();
  });
});
