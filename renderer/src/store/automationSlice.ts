/**
 * The Automation panel's rules: a draft the table edits, applied to the running link through
 * main (which checks them with the shared schema and runs them), and how often each fired.
 * Import and export are the rules file's JSON (`msp --rules FILE` reads the same).
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { AppError } from '../../../shared/result.ts';
import type { Rule, RuleAction } from '../../../shared/automation/rules.ts';
import { DEFAULT_ACTIONS } from '../../../shared/automation/rules-kinds.ts';
import { RULES_LIMITS } from '../../../shared/limits.ts';
import type { Slice } from './types.ts';

export interface AutomationSlice {
  rules: Rule[];
  /** How often each applied rule fired (main's count, in rule order). */
  rulesFired: number[];
  /** The draft differs from what main runs. */
  rulesDirty: boolean;
  rulesError: AppError | null;
  addRule(): void;
  removeRule(index: number): void;
  moveRule(index: number, by: -1 | 1): void;
  updateRule(index: number, rule: Rule): void;
  applyRules(): Promise<boolean>;
  /** Reads a rules file's text into the draft and applies it; false (with the error shown) when it is not one. */
  importRules(text: string): Promise<boolean>;
  exportRules(): string;
}

export const NEW_RULE: Rule = {
  name: '',
  enabled: true,
  match: { kind: 'contains', pattern: 'ping' },
  action: { ...DEFAULT_ACTIONS.reply, template: 'pong {counter}' },
};

export const createAutomationSlice =
  (api: MspApi): Slice<AutomationSlice> =>
  (set, get) => ({
    rules: [],
    rulesFired: [],
    rulesDirty: false,
    rulesError: null,

    addRule() {
      if (get().rules.length >= RULES_LIMITS.rules) return;
      set({ rules: [...get().rules, NEW_RULE], rulesDirty: true });
    },

    removeRule(index) {
      set({ rules: get().rules.filter((_, i) => i !== index), rulesDirty: true });
    },

    moveRule(index, by) {
      const rules = [...get().rules];
      const to = index + by;
      if (to < 0 || to >= rules.length) return;
      [rules[index], rules[to]] = [rules[to], rules[index]];
      set({ rules, rulesDirty: true });
    },

    updateRule(index, rule) {
      set({ rules: get().rules.map((r, i) => (i === index ? rule : r)), rulesDirty: true });
    },

    async applyRules() {
      const result = await api.automation.setRules({ version: 1, rules: get().rules });
      if (!result.ok) {
        set({ rulesError: result.error });
        return false;
      }
      set({ rulesFired: result.value.fired, rulesDirty: false, rulesError: null });
      return true;
    },

    async importRules(text) {
      if (text.length > RULES_LIMITS.fileBytes) {
        set({ rulesError: { code: 'APP_ERR_RULES_INVALID', message: `The file is larger than ${RULES_LIMITS.fileBytes / 1024} KiB.` } });
        return false;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        set({ rulesError: { code: 'APP_ERR_RULES_INVALID', message: `Not valid JSON: ${(error as Error).message}` } });
        return false;
      }
      const rules = (json as { rules?: unknown })?.rules;
      if (!Array.isArray(rules)) {
        set({ rulesError: { code: 'APP_ERR_RULES_INVALID', message: 'Not a rules file: it has no "rules" list.' } });
        return false;
      }
      // Main checks every field; here only the defaults the editor needs to show a row are filled in.
      set({ rules: rules.slice(0, RULES_LIMITS.rules).map(withDefaults), rulesDirty: true });
      return get().applyRules();
    },

    exportRules() {
      return JSON.stringify({ version: 1, rules: get().rules }, null, 2) + '\n';
    },
  });

function withDefaults(raw: unknown): Rule {
  const rule = (raw ?? {}) as Partial<Rule>;
  const kind = rule.action?.kind;
  const action = (kind && kind in DEFAULT_ACTIONS ? { ...DEFAULT_ACTIONS[kind], ...rule.action } : rule.action) as RuleAction;
  return { ...rule, name: rule.name ?? '', enabled: rule.enabled ?? true, match: { pattern: '', ...rule.match } as Rule['match'], action };
}
