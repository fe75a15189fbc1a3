/** The Automation panel's store: editing the draft, applying it through main, counts from main, import and export. */
import { describe, expect, it } from 'vitest';
import { fail, ok, appError } from '../../../shared/result.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { NEW_RULE } from '../../../renderer/src/store/automationSlice.ts';
import { fakeMain } from '../../helpers/fakeApi.ts';

function setup() {
  const main = fakeMain();
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  return { main, store, s: () => store.getState() };
}

describe('automation slice', () => {
  it('adds, edits, reorders and removes rows; a change marks the draft unapplied', () => {
    const { s } = setup();
    s().addRule();
    s().addRule();
    s().updateRule(1, { ...NEW_RULE, name: 'second' });
    expect(s().rulesDirty).toBe(true);
    s().moveRule(1, -1);
    expect(s().rules.map((r) => r.name)).toEqual(['second', '']);
    s().moveRule(0, -1); // already first: nothing moves
    expect(s().rules.map((r) => r.name)).toEqual(['second', '']);
    s().removeRule(0);
    expect(s().rules.map((r) => r.name)).toEqual(['']);
  });

  it('apply sends the rules file to main and takes its counts; main events update them', async () => {
    const { main, s } = setup();
    s().addRule();
    main.answer('automation.setRules', ok({ rules: 1, fired: [0] }));
    expect(await s().applyRules()).toBe(true);
    expect(main.requests.at(-1)).toEqual({ channel: 'automation.setRules', arg: { version: 1, rules: [NEW_RULE] } });
    expect(s().rulesDirty).toBe(false);
    main.emit('automation.fired', { rules: 1, fired: [4] });
    expect(s().rulesFired).toEqual([4]);
  });

  it("main's refusal is shown and the draft kept for fixing", async () => {
    const { main, s } = setup();
    s().addRule();
    main.answer('automation.setRules', fail(appError('APP_ERR_RULES_INVALID', 'rules[0].match.pattern: backreferences')));
    expect(await s().applyRules()).toBe(false);
    expect(s().rulesError?.message).toMatch(/rules\[0\]/);
    expect(s().rules).toHaveLength(1);
  });

  it('import fills defaults and applies; export writes the same JSON back', async () => {
    const { main, s } = setup();
    main.answer('automation.setRules', ok({ rules: 1, fired: [0] }));
    expect(await s().importRules(JSON.stringify({ rules: [{ match: { kind: 'any' }, action: { kind: 'split-ack' } }] }))).toBe(true);
    expect(s().rules).toEqual([{ name: '', enabled: true, match: { kind: 'any', pattern: '' }, action: { kind: 'split-ack', parts: 2, gapMs: 20 } }]);
    expect(JSON.parse(s().exportRules())).toEqual({ version: 1, rules: s().rules });
  });

  it('import refuses what is not a rules file, and files too large, without asking main', async () => {
    const { main, s } = setup();
    const before = main.requests.length;
    expect(await s().importRules('{oops')).toBe(false);
    expect(s().rulesError?.message).toMatch(/Not valid JSON/);
    expect(await s().importRules('{"rulez": []}')).toBe(false);
    expect(s().rulesError?.message).toMatch(/no "rules" list/);
    expect(await s().importRules('x'.repeat(300_000))).toBe(false);
    expect(s().rulesError?.message).toMatch(/larger than 256 KiB/);
    expect(main.requests.slice(before).filter((r) => r.channel === 'automation.setRules')).toEqual([]);
  });
});
