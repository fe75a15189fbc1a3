/** While a port is in use: what is open, the control lines (switchable live), and the reopening state. */
import { useShallow } from 'zustand/react/shallow';
import { SERIAL_PACKET_SIZE_RANGE } from '../../../../shared/limits.ts';
import { useT } from '../../i18n/index.ts';
import { errorText } from '../../i18n/translate.ts';
import { useApp } from '../../store/appStore.ts';
import { Switch } from '../../ui/controls.tsx';
import { formatClock } from '../../ui/format.ts';
import { AlertIcon } from '../../ui/icons.tsx';
import { SecuritySummary } from '../security/SecuritySummary.tsx';
import './serial.css';

export function SerialSummary() {
  const t = useT();
  const { status, draft } = useApp(useShallow((s) => ({ status: s.status, draft: s.serialDraft })));
  const setLine = useApp((s) => s.setSerialLine);
  if (status.state !== 'serial') return null;
  return (
    <>
      <dl className="link-summary" data-testid="link-summary">
        <dt>{t('serial.port')}</dt>
        <dd>
          {status.path}
          {status.since !== undefined && <span className="summary-note">{t('serial.openSince', { time: formatClock(status.since) })}</span>}
        </dd>
        <dt>{t('serial.settings')}</dt>
        <dd>{status.line}</dd>
        <dt>{t('serial.role')}</dt>
        <dd className="summary-plain">{t(`serial.role.${status.role}`)}</dd>
        <dt>{t('serial.sending')}</dt>
        <dd className="summary-plain" data-testid="serial-sending">
          {status.packetGapMs === 0 && status.maxPacketSize === SERIAL_PACKET_SIZE_RANGE.max
            ? t('serial.sendingPlain')
            : t('serial.sendingValue', { gap: status.packetGapMs, max: status.maxPacketSize })}
        </dd>
      </dl>
      <SecuritySummary />
      {status.phase === 'reopening' && (
        <div className="callout callout-info" role="status" data-testid="serial-reopening">
          <div className="callout-title">
            <AlertIcon />
            {t('serial.reopeningTitle')}
          </div>
          {status.error && <p className="callout-detail">{errorText(t, status.error)}</p>}
        </div>
      )}
      {status.phase === 'open' && (
        <div className="serial-switches">
          <span className="field-label">{t('serial.lines')}</span>
          <Switch label={t('serial.dtr')} checked={draft.dtr} testId="serial-dtr" onChange={(on) => void setLine('dtr', on)} />
          {draft.flowControl !== 'rts-cts' && <Switch label={t('serial.rts')} checked={draft.rts} testId="serial-rts" onChange={(on) => void setLine('rts', on)} />}
        </div>
      )}
    </>
  );
}
