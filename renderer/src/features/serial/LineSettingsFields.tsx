/**
 * A serial line's settings (baud rate, data bits, parity, stop bits, flow control), the one
 * form both the connection's serial form and the X/Y/ZMODEM tool show. The option lists come
 * from shared/serial/options.ts; what this platform cannot set is greyed out and says why.
 * `children` go into the same two-column grid after the line (the serial form's pacing).
 */
import type { ReactNode } from 'react';
import type { SerialOptions } from '../../../../shared/ipc/serial.ts';
import { DATA_BITS, FLOW_CONTROLS, PARITIES, STOP_BITS } from '../../../../shared/serial/options.ts';
import { useT } from '../../i18n/index.ts';
import type { LineDraft } from '../../store/lineDraft.ts';
import './serial.css';

const CUSTOM = 'custom';

export interface LineSettingsFieldsProps {
  line: LineDraft;
  onChange(patch: Partial<LineDraft>): void;
  /** null until main has said what this computer can set: then nothing is greyed out. */
  options: SerialOptions | null;
  /** Test ids are `<prefix>-baud`, `<prefix>-parity`, …, one set per form. */
  testIdPrefix: string;
  children?: ReactNode;
}

export function LineSettingsFields({ line, onChange, options, testIdPrefix: id, children }: LineSettingsFieldsProps) {
  const t = useT();
  const rates = options?.standardBaudRates ?? [];
  const notHere = t('serial.notOnPlatform', { platform: options?.platformName ?? '' });
  return (
    <div className="serial-grid">
      <label className="field">
        <span className="field-label">{t('serial.baud')}</span>
        <select
          value={line.baudCustom ? CUSTOM : line.baudText}
          data-testid={`${id}-baud`}
          onChange={(e) => onChange(e.target.value === CUSTOM ? { baudCustom: true } : { baudCustom: false, baudText: e.target.value })}
        >
          {rates.map((rate) => <option key={rate} value={String(rate)}>{rate}</option>)}
          {!line.baudCustom && !rates.includes(Number(line.baudText)) && <option value={line.baudText}>{line.baudText}</option>}
          <option value={CUSTOM}>{t('serial.baudCustom')}</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('serial.dataBits')}</span>
        <select value={String(line.dataBits)} data-testid={`${id}-data-bits`} onChange={(e) => onChange({ dataBits: Number(e.target.value) as LineDraft['dataBits'] })}>
          {DATA_BITS.map((b) => <option key={b} value={String(b)}>{b}</option>)}
        </select>
      </label>
      {line.baudCustom && (
        <label className="field span-2">
          <span className="field-label">{t('serial.baudCustomLabel')}</span>
          <input value={line.baudText} inputMode="numeric" data-testid={`${id}-baud-custom`} onChange={(e) => onChange({ baudText: e.target.value })} />
        </label>
      )}
      <label className="field">
        <span className="field-label">{t('serial.parity')}</span>
        <select value={line.parity} data-testid={`${id}-parity`} onChange={(e) => onChange({ parity: e.target.value as LineDraft['parity'] })}>
          {PARITIES.map((p) => {
            const unsupported = options !== null && !options.parities.includes(p);
            return (
              <option key={p} value={p} disabled={unsupported} title={unsupported ? notHere : undefined}>
                {t(`serial.parity.${p}`)}{unsupported ? ` (${notHere})` : ''}
              </option>
            );
          })}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('serial.stopBits')}</span>
        <select value={String(line.stopBits)} data-testid={`${id}-stop-bits`} onChange={(e) => onChange({ stopBits: Number(e.target.value) as LineDraft['stopBits'] })}>
          {STOP_BITS.map((b) => {
            const unsupported = options !== null && !options.stopBits.includes(b);
            return (
              <option key={b} value={String(b)} disabled={unsupported} title={unsupported ? notHere : undefined}>
                {b}{unsupported ? ` (${notHere})` : ''}
              </option>
            );
          })}
        </select>
      </label>
      <label className="field span-2">
        <span className="field-label">{t('serial.flow')}</span>
        <select value={line.flowControl} data-testid={`${id}-flow`} onChange={(e) => onChange({ flowControl: e.target.value as LineDraft['flowControl'] })}>
          {FLOW_CONTROLS.map((f) => <option key={f} value={f}>{t(`serial.flow.${f}`)}</option>)}
        </select>
      </label>
      {children}
    </div>
  );
}
