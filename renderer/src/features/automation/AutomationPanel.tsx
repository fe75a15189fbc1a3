/**
 * The Automation tool: the auto-responder's rules as an editable table, one row per rule
 * (enabled, name, what it matches, what it does, how often it fired), applied to the running
 * link through main, imported from and exported to a rules file (`msp --rules FILE`).
 */
import { useRef, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ACTION_KINDS, DEFAULT_ACTIONS, MATCH_KINDS, type ActionKind, type MatchKind } from '../../../../shared/automation/rules-kinds.ts';
import type { Rule, RuleAction } from '../../../../shared/automation/rules.ts';
import { RULES_LIMITS } from '../../../../shared/limits.ts';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button, Panel } from '../../ui/controls.tsx';
import { DownloadIcon, TrashIcon } from '../../ui/icons.tsx';
import { saveFile } from '../log/saveFile.ts';
import { RuleFields } from './RuleFields.tsx';

export function AutomationPanel() {
  const t = useT();
  const { rules, fired, dirty, error } = useApp(
    useShallow((s) => ({ rules: s.rules, fired: s.rulesFired, dirty: s.rulesDirty, error: s.rulesError })),
  );
  const { addRule, applyRules, importRules, exportRules } = useApp(
    useShallow((s) => ({ addRule: s.addRule, applyRules: s.applyRules, importRules: s.importRules, exportRules: s.exportRules })),
  );
  const fileInput = useRef<HTMLInputElement>(null);

  const onImport = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    // Refused before it is read whole: a rules file is small.
    await importRules(file.size > RULES_LIMITS.fileBytes ? 'x'.repeat(RULES_LIMITS.fileBytes + 1) : await file.text());
  };

  return (
    <Panel title={t('automation.title')} testId="automation-panel">
      <p className="empty-note automation-intro">{t('automation.intro')}</p>
      {rules.length === 0 ? (
        <p className="empty-note">{t('automation.empty')}</p>
      ) : (
        <ol className="rule-list" data-testid="rule-list">
          {rules.map((rule, index) => (
            <RuleRow key={index} index={index} rule={rule} count={rules.length} fired={dirty ? undefined : fired[index]} />
          ))}
        </ol>
      )}
      <div className="automation-actions">
        <Button size="sm" onClick={addRule} disabled={rules.length >= RULES_LIMITS.rules} data-testid="rule-add">
          {t('automation.add')}
        </Button>
        <Button size="sm" variant="primary" onClick={() => void applyRules()} data-testid="rules-apply">
          {t('automation.apply')}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => fileInput.current?.click()} data-testid="rules-import">
          {t('automation.import')}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          icon={<DownloadIcon />}
          onClick={() => saveFile('msp-rules.json', 'application/json', exportRules())}
          data-testid="rules-export"
        >
          {t('automation.export')}
        </Button>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={(e) => void onImport(e)} data-testid="rules-file" />
      </div>
      {error ? (
        <p className="inline-error" role="alert" data-testid="rules-error">
          {t('automation.applyFailed')}: {error.message}
        </p>
      ) : (
        <p className="automation-state" data-testid="rules-state">
          {dirty ? t('automation.unapplied') : t('automation.applied', { n: rules.length })}
        </p>
      )}
    </Panel>
  );
}

function RuleRow({ index, rule, count, fired }: { index: number; rule: Rule; count: number; fired: number | undefined }) {
  const t = useT();
  const { updateRule, removeRule, moveRule } = useApp(useShallow((s) => ({ updateRule: s.updateRule, removeRule: s.removeRule, moveRule: s.moveRule })));
  const update = (patch: Partial<Rule>) => updateRule(index, { ...rule, ...patch });
  return (
    <li className={`rule-row ${rule.enabled ? '' : 'rule-disabled'}`} data-testid="rule-row">
      <div className="rule-head">
        <input
          type="checkbox"
          checked={rule.enabled}
          onChange={(e) => update({ enabled: e.target.checked })}
          aria-label={t('automation.enabled')}
          title={t('automation.enabled')}
          data-testid="rule-enabled"
        />
        <span className="rule-number">{index + 1}</span>
        <input
          className="rule-name"
          value={rule.name}
          maxLength={RULES_LIMITS.nameChars}
          placeholder={t('automation.namePlaceholder')}
          aria-label={t('automation.name')}
          onChange={(e) => update({ name: e.target.value })}
          data-testid="rule-name"
        />
        {fired !== undefined && (
          <span className={`rule-fired ${fired > 0 ? 'rule-fired-hot' : ''}`} title={t('automation.firedHint')} data-testid="rule-fired">
            {t('automation.fired', { n: fired })}
          </span>
        )}
        <span className="rule-tools">
          <button type="button" className="icon-btn" onClick={() => moveRule(index, -1)} disabled={index === 0} title={t('automation.moveUp')} aria-label={t('automation.moveUp')} data-testid="rule-up">
            ↑
          </button>
          <button type="button" className="icon-btn" onClick={() => moveRule(index, 1)} disabled={index === count - 1} title={t('automation.moveDown')} aria-label={t('automation.moveDown')} data-testid="rule-down">
            ↓
          </button>
          <button type="button" className="icon-btn" onClick={() => removeRule(index)} title={t('automation.remove')} aria-label={t('automation.remove')} data-testid="rule-remove">
            <TrashIcon />
          </button>
        </span>
      </div>
      <div className="rule-line">
        <span className="rule-label">{t('automation.when')}</span>
        <select
          value={rule.match.kind}
          aria-label={t('automation.when')}
          onChange={(e) => update({ match: { ...rule.match, kind: e.target.value as MatchKind } })}
          data-testid="rule-match-kind"
        >
          {MATCH_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`automation.match.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <RuleFields.Match rule={rule} onChange={(match) => update({ match })} />
      <div className="rule-line">
        <span className="rule-label">{t('automation.do')}</span>
        <select
          value={rule.action.kind}
          aria-label={t('automation.do')}
          onChange={(e) => update({ action: { ...DEFAULT_ACTIONS[e.target.value as ActionKind] } as RuleAction })}
          data-testid="rule-action-kind"
        >
          {ACTION_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`automation.action.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <RuleFields.Action action={rule.action} onChange={(action) => update({ action })} />
    </li>
  );
}
