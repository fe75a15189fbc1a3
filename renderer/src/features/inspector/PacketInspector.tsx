/** The selected packet: its bytes by field, what each field says, what is wrong, and copy buttons. */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { errorText, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { formatClock, formatMs } from '../../ui/format.ts';
import { CopyIcon } from '../../ui/icons.tsx';
import { TypeBadge } from '../log/TypeBadge.tsx';
import { spanOf, type LogRecord } from '../log/logRecord.ts';
import { formatBytes, type CopyFormat } from './copyFormats.ts';
import { fieldRows, problemText } from './fieldRows.ts';
import { layoutFrame } from './frameLayout.ts';
import { HEX_DUMP_LIMIT, HexDump } from './HexDump.tsx';
import { PlaintextDump, WireDumpTitle, isDecrypted } from '../security/DecryptedDump.tsx';

export function PacketInspector() {
  const t = useT();
  const record = useApp(
    useShallow((s) => ({ record: s.selectedSeq === null ? undefined : s.log.get(s.selectedSeq), revision: s.logRevision })),
  ).record;
  if (!record) {
    return (
      <section className="inspector inspector-empty" data-testid="inspector">
        <p>{t('inspector.empty')}</p>
      </section>
    );
  }
  return <Inspector record={record} key={record.seq} />;
}

function Inspector({ record }: { record: LogRecord }) {
  const t = useT();
  const copyText = useApp((s) => s.copyText);
  const [hovered, setHovered] = useState<number | null>(null);
  const { entry } = record;
  const layout = useMemo(() => layoutFrame(entry.raw), [entry.raw]);
  const rows = fieldRows(entry.raw, layout, t, entry.plaintext, entry.innerType);
  // A bad frame may be only its first bytes: what the layout says about the missing rest is not news.
  const partial = spanOf(entry) > entry.raw.length;
  const problems = entry.kind === 'junk' || partial ? [] : layout.problems;
  const copy = (format: CopyFormat, done: 'inspector.copiedHex' | 'inspector.copiedC' | 'inspector.copiedBase64') =>
    void copyText(formatBytes(entry.raw, format), t(done));

  return (
    <section className="inspector" data-testid="inspector" data-seq={record.seq}>
      <header className="inspector-header">
        <div className="inspector-title">
          <strong>#{record.seq}</strong>
          <span className={`dir dir-${entry.dir}`}>{t(entry.dir === 'in' ? 'log.dir.in' : 'log.dir.out')}</span>
          <TypeBadge record={record} t={t} />
          <span className="muted">{t('inspector.bytes', { n: entry.suppressed ? entry.suppressed.bytes : spanOf(entry) })}</span>
          <span className="muted">{formatClock(entry.at)}</span>
          <span className="muted">{entry.peer}</span>
          <AckNote record={record} />
        </div>
        <div className="copy-buttons" role="group" aria-label={t('inspector.copy')}>
          <CopyIcon />
          <Button size="sm" variant="ghost" onClick={() => copy('hex', 'inspector.copiedHex')} data-testid="copy-hex">{t('inspector.copyHex')}</Button>
          <Button size="sm" variant="ghost" onClick={() => copy('c-array', 'inspector.copiedC')} data-testid="copy-c">{t('inspector.copyC')}</Button>
          <Button size="sm" variant="ghost" onClick={() => copy('base64', 'inspector.copiedBase64')} data-testid="copy-base64">{t('inspector.copyBase64')}</Button>
        </div>
      </header>
      {(problems.length > 0 || entry.error || entry.rejected) && (
        <ul className="problems" data-testid="problems">
          {entry.rejected && <li>{t('inspector.refused', { reason: errorText(t, entry.rejected) })}</li>}
          {problems.map((p) => (
            <li key={p.kind}>{problemText(p, t)}</li>
          ))}
          {entry.error && problems.length === 0 && <li>{errorText(t, entry.error)}</li>}
        </ul>
      )}
      <div className="inspector-body">
        <div className="inspector-dump">
          {isDecrypted(entry) && <WireDumpTitle entry={entry} />}
          <HexDump bytes={entry.raw} layout={layout} hoveredField={hovered} onHoverField={setHovered} />
          {entry.suppressed && <p>{t('log.suppressed', { frames: entry.suppressed.frames, bytes: entry.suppressed.bytes })}</p>}
          {(entry.raw.length > HEX_DUMP_LIMIT || partial) && (
            <p className="muted small">{t('inspector.truncated', { shown: Math.min(HEX_DUMP_LIMIT, entry.raw.length), total: spanOf(entry) })}</p>
          )}
        </div>
        <div className="inspector-fields">
          {isDecrypted(entry) && <PlaintextDump plaintext={entry.plaintext} innerType={entry.innerType} />}
          <table className="field-table" data-testid="field-table">
            <thead>
              <tr>
                <th>{t('inspector.col.field')}</th>
                <th>{t('inspector.col.offset')}</th>
                <th>{t('inspector.col.bytes')}</th>
                <th>{t('inspector.col.value')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.index}
                  className={`${row.index === hovered ? 'hot' : ''} ${row.bad ? 'bad' : ''}`}
                  data-field-name={row.name}
                  onMouseEnter={() => setHovered(row.index)}
                  onMouseLeave={() => setHovered(null)}
                >
                  <td>
                    <span className={`swatch f-${row.name}${row.bad ? ' f-bad' : ''}`} />
                    {row.label}
                  </td>
                  <td className="mono">{row.offset}</td>
                  <td className="mono">{row.bytes}</td>
                  <td>{row.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function AckNote({ record }: { record: LogRecord }) {
  const t = useT();
  const { ack } = record;
  if (ack?.status === 'acked') {
    return (
      <span className="ack-note good" data-testid="inspector-ack">
        {ack.ackSeq !== undefined ? t('ack.acked', { seq: ack.ackSeq, rtt: formatMs(ack.rttMs) }) : t('ack.ackedNoSeq', { rtt: formatMs(ack.rttMs) })}
      </span>
    );
  }
  if (ack?.status === 'pending') return <span className="ack-note pending">{t('log.ack.pending')}</span>;
  if (ack?.status === 'timeout') return <span className="ack-note bad">{t('log.ack.timeout')}</span>;
  if (ack?.status === 'lost') return <span className="ack-note bad">{t('log.ack.lost')}</span>;
  if (record.ackFor !== undefined) return <span className="ack-note muted">{t('ack.answers', { seq: record.ackFor })}</span>;
  return null;
}
