/** The field table: each field of the selected bytes, decoded in words. */
import { packetLabel, toHex, utf8DecodeStrict } from '../../../../shared/msp/index.ts';
import type { Translate } from '../../i18n/translate.ts';
import { hexByte } from '../../../../shared/msp/index.ts';
import type { FieldName, FrameLayout, FrameProblem } from './frameLayout.ts';

export interface FieldRow {
  index: number;
  name: FieldName;
  label: string;
  offset: string;
  bytes: string;
  value: string;
  bad: boolean;
}

const MAX_SHOWN_BYTES = 4;

/** `plaintext` and `innerType`: what the session opened (a sealed packet), never decrypted here. */
export function fieldRows(raw: Uint8Array, layout: FrameLayout, t: Translate, plaintext?: Uint8Array, innerType?: number): FieldRow[] {
  return layout.fields.map((field, index) => {
    const bytes = raw.subarray(field.start, field.end);
    const size = field.end - field.start;
    const shown = toHex(bytes.subarray(0, MAX_SHOWN_BYTES)) + (size > MAX_SHOWN_BYTES ? ' …' : '');
    let value = '';
    let bad = false;
    switch (field.name) {
      case 'sync':
        value = t('value.sync');
        break;
      case 'length':
        value = t('value.length', { n: layout.declaredLength ?? 0 });
        bad = layout.problems.some((p) => p.kind === 'length-too-small' || p.kind === 'truncated' || p.kind === 'trailing-bytes');
        break;
      case 'version':
        value = layout.version === 1 ? t('value.version.1') : layout.version === 2 ? t('value.version.2') : String(layout.version);
        break;
      case 'type':
        value = packetLabel(layout.type ?? 0, innerType);
        break;
      case 'payload': {
        const text = utf8DecodeStrict(bytes);
        value = size === 0 ? t('value.payloadEmpty') : text !== undefined ? `"${text.length > 80 ? text.slice(0, 80) + '…' : text}"` : t('value.payloadBytes', { n: size });
        const decrypted = plaintext ? utf8DecodeStrict(plaintext) : undefined;
        if (decrypted !== undefined) value = t('value.decrypted', { text: `"${decrypted}"` });
        break;
      }
      case 'crc':
        bad = layout.crc ? !layout.crc.ok : false;
        value = layout.crc?.ok ? t('value.crcOk') : t('value.crcBad', { expected: hexByte(layout.crc?.expected ?? 0) });
        break;
      case 'extra':
        value = t('value.extra', { n: size });
        bad = true;
        break;
      case 'junk':
        value = t('value.junk', { n: size });
        break;
    }
    return {
      index,
      name: field.name,
      label: t(`field.${field.name}`),
      offset: size > 1 ? `${field.start}–${field.end - 1}` : String(field.start),
      bytes: shown,
      value,
      bad,
    };
  });
}

export function problemText(problem: FrameProblem, t: Translate): string {
  switch (problem.kind) {
    case 'not-a-frame':
      return t('problem.not-a-frame');
    case 'short-header':
      return t('problem.short-header', { have: problem.have });
    case 'length-too-small':
      return t('problem.length-too-small', { declared: problem.declared });
    case 'truncated':
      return t('problem.truncated', { declared: problem.declared, have: problem.have });
    case 'trailing-bytes':
      return t('problem.trailing-bytes', { declared: problem.declared, have: problem.have });
    case 'bad-crc':
      return t('problem.bad-crc', { actual: hexByte(problem.actual), expected: hexByte(problem.expected) });
  }
}
