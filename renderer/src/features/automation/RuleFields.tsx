/**
 * The inputs of one rule row that depend on its kinds: the pattern (and mask, TYPE, peer) of
 * its match, and the parameters of its action. Patterns, hex and templates are checked as
 * they are typed with the same shared functions main uses; main checks everything again.
 */
import type { Rule, RuleAction, RuleMatch } from '../../../../shared/automation/rules.ts';
import { regexPatternProblem } from '../../../../shared/automation/rules-regex.ts';
import { parseTemplate } from '../../../../shared/automation/rules-template.ts';
import { RULES_LIMITS } from '../../../../shared/limits.ts';
import { PacketType, packetTypeName, parseHex } from '../../../../shared/msp/index.ts';
import { useT } from '../../i18n/index.ts';

/** The TYPEs offered in the row's TYPE list (any other one a file names is shown too). */
const TYPE_CHOICES: readonly number[] = [PacketType.DATA, PacketType.ACK];

function Match({ rule, onChange }: { rule: Rule; onChange(match: RuleMatch): void }) {
  const t = useT();
  const match = rule.match;
  const problem = matchProblem(match, t('automation.badHex'));
  const types = match.type !== undefined && !TYPE_CHOICES.includes(match.type) ? [...TYPE_CHOICES, match.type] : TYPE_CHOICES;
  return (
    <div className="rule-fields">
      {match.kind !== 'any' && (
        <input
          className={`rule-pattern mono ${problem ? 'invalid' : ''}`}
          value={match.pattern}
          maxLength={RULES_LIMITS.patternChars * 3}
          placeholder={t('automation.pattern')}
          aria-label={t('automation.pattern')}
          aria-invalid={problem !== undefined}
          title={problem}
          onChange={(e) => onChange({ ...match, pattern: e.target.value })}
          data-testid="rule-pattern"
        />
      )}
      {match.kind === 'hex' && (
        <input
          className="rule-mask mono"
          value={match.mask ?? ''}
          placeholder={t('automation.maskPlaceholder')}
          aria-label={t('automation.mask')}
          onChange={(e) => onChange(withOptional(match, 'mask', e.target.value))}
          data-testid="rule-mask"
        />
      )}
      <label className="rule-field">
        <span>{t('automation.type')}</span>
        <select
          value={match.type === undefined ? '' : String(match.type)}
          onChange={(e) => onChange(e.target.value === '' ? withoutKey(match, 'type') : { ...match, type: Number(e.target.value) })}
          data-testid="rule-type"
        >
          <option value="">{t('automation.typePlaceholder')}</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {packetTypeName(type)}
            </option>
          ))}
        </select>
      </label>
      <label className="rule-field rule-field-grow">
        <span>{t('automation.peer')}</span>
        <input
          value={match.peer ?? ''}
          maxLength={RULES_LIMITS.peerChars}
          placeholder={t('automation.peerPlaceholder')}
          onChange={(e) => onChange(withOptional(match, 'peer', e.target.value))}
          data-testid="rule-peer"
        />
      </label>
    </div>
  );
}

function Action({ action, onChange }: { action: RuleAction; onChange(action: RuleAction): void }) {
  const t = useT();
  const number = (key: string, label: string, min: number, max: number) => (
    <label className="rule-field" key={key}>
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        value={(action as Record<string, unknown>)[key] as number}
        onChange={(e) => onChange({ ...action, [key]: e.target.value === '' ? min : Number(e.target.value) } as RuleAction)}
        data-testid={`rule-${key}`}
      />
    </label>
  );
  switch (action.kind) {
    case 'reply': {
      const parsed = parseTemplate(action.template);
      return (
        <div className="rule-fields">
          <input
            className={`rule-template mono ${parsed.ok ? '' : 'invalid'}`}
            value={action.template}
            maxLength={RULES_LIMITS.templateChars}
            placeholder={t('automation.template')}
            aria-label={t('automation.template')}
            aria-invalid={!parsed.ok}
            title={parsed.ok ? t('automation.templateHint') : `${t('automation.badTemplate')}: ${parsed.problem}`}
            onChange={(e) => onChange({ ...action, template: e.target.value })}
            data-testid="rule-template"
          />
          <label className="rule-field">
            <span>{t('automation.format')}</span>
            <select value={action.format} onChange={(e) => onChange({ ...action, format: e.target.value as 'text' | 'hex' })} data-testid="rule-format">
              <option value="text">{t('automation.format.text')}</option>
              <option value="hex">{t('automation.format.hex')}</option>
            </select>
          </label>
          {number('delayMs', t('automation.delayMs'), 0, RULES_LIMITS.delayMs)}
        </div>
      );
    }
    case 'delay-ack':
      return <div className="rule-fields">{number('delayMs', t('automation.delayMs'), 0, RULES_LIMITS.delayMs)}</div>;
    case 'corrupt-byte':
      return (
        <div className="rule-fields">
          {number('offset', t('automation.offset'), 0, 65_535)}
          {number('xor', t('automation.xor'), 1, 255)}
        </div>
      );
    case 'split-ack':
      return (
        <div className="rule-fields">
          {number('parts', t('automation.parts'), 2, RULES_LIMITS.splitParts)}
          {number('gapMs', t('automation.gapMs'), 0, RULES_LIMITS.splitGapMs)}
        </div>
      );
    case 'duplicate-ack':
      return <div className="rule-fields">{number('copies', t('automation.copies'), 2, RULES_LIMITS.duplicateCopies)}</div>;
    case 'junk-before-ack': {
      const bad = !parseHex(action.junk).ok;
      return (
        <div className="rule-fields">
          <label className="rule-field rule-field-grow">
            <span>{t('automation.junk')}</span>
            <input
              className={`mono ${bad ? 'invalid' : ''}`}
              value={action.junk}
              aria-invalid={bad}
              onChange={(e) => onChange({ ...action, junk: e.target.value })}
              data-testid="rule-junk"
            />
          </label>
        </div>
      );
    }
    default:
      return null;
  }
}

export const RuleFields = { Match, Action };

/** Why the pattern cannot run, as the editor marks it; undefined when it is fine (or still empty). */
function matchProblem(match: RuleMatch, notHex: string): string | undefined {
  if (match.kind === 'regex' && match.pattern !== '') return regexPatternProblem(match.pattern);
  if (match.kind === 'hex' && match.pattern !== '' && !parseHex(match.pattern).ok) return notHex;
  return undefined;
}

function withOptional<K extends 'mask' | 'peer'>(match: RuleMatch, key: K, value: string): RuleMatch {
  return value === '' ? withoutKey(match, key) : { ...match, [key]: value };
}

function withoutKey(match: RuleMatch, key: 'mask' | 'peer' | 'type'): RuleMatch {
  const copy = { ...match };
  delete copy[key];
  return copy;
}
