/** One packet in the log. */
import { memo } from 'react';
import { errorText, type Translate } from '../../i18n/index.ts';
import { formatClock } from '../../ui/format.ts';
import { ackLabel, crcLabel, payloadLabel } from './cells.ts';
import { TypeBadge } from './TypeBadge.tsx';
import { spanOf, type LogRecord } from './logRecord.ts';
import { LockBadge } from '../security/LockBadge.tsx';

export const ROW_HEIGHT = 26;

interface LogRowProps {
  record: LogRecord;
  top: number;
  selected: boolean;
  /** Changes when the record's ACK status may have: records are updated in place. */
  revision: number;
  t: Translate;
  onSelect(seq: number): void;
}

export const LogRow = memo(function LogRow({ record, top, selected, t, onSelect }: LogRowProps) {
  const { entry } = record;
  const ack = ackLabel(record, t);
  const payload = payloadLabel(record, t);
  const rowError = entry.rejected ?? entry.error;
  return (
    <div
      role="row"
      aria-selected={selected}
      className={`log-row cat-${record.category} ${selected ? 'selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid="log-row"
      data-seq={record.seq}
      data-kind={entry.kind}
      data-dir={entry.dir}
      data-lock={entry.lock}
      data-refused={entry.rejected ? true : undefined}
      onClick={() => onSelect(record.seq)}
    >
      <span role="cell" className="c-seq">{record.seq}</span>
      <span role="cell" className="c-time">{formatClock(entry.at)}</span>
      <span role="cell" className="c-dir">
        <span className={`dir dir-${entry.dir}`}>{t(entry.dir === 'in' ? 'log.dir.in' : 'log.dir.out')}</span>
      </span>
      <span role="cell" className="c-peer" title={entry.peer}>{entry.peer}</span>
      <span role="cell" className="c-type">
        {entry.lock && <LockBadge lock={entry.lock} t={t} compact />}
        <TypeBadge record={record} t={t} />
      </span>
      <span role="cell" className="c-len">{entry.kind === 'suppressed' ? '' : spanOf(entry)}</span>
      <span role="cell" className={`c-crc crc-${record.crc}`} data-testid="crc-cell">{crcLabel(record, t)}</span>
      <span role="cell" className={`c-ack ack-${ack?.tone ?? 'none'}`} data-testid="ack-cell">{ack?.text ?? ''}</span>
      <span role="cell" className={`c-payload ${payload.mono ? 'mono' : ''}`} title={rowError ? errorText(t, rowError) : undefined}>
        {entry.rejected && <span className="refused-tag" data-testid="refused">{t('log.refused')}</span>}
        {entry.error && <span className="row-error">{entry.error.code.replace('MSP_ERR_', '')}</span>}
        {payload.text}
      </span>
    </div>
  );
});
