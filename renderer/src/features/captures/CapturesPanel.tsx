/**
 * The Captures tool: the log out to Wireshark (pcapng: all of it, or what the filter shows),
 * a capture from tcpdump or Wireshark into the log, and a recording made from the log between
 * Record and Stop. Replaying a recording against a server is the CLI's (`msp --mode replay`),
 * shown here with this window's server filled in.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CaptureSummary } from '../../../../shared/capture/import-capture.ts';
import type { LogExportOptions } from '../../../../shared/capture/export-log.ts';
import type { AppError } from '../../../../shared/result.ts';
import { toHex } from '../../../../shared/msp/index.ts';
import { errorText, useLanguage, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button, Panel, Switch } from '../../ui/controls.tsx';
import { formatClock, formatCount } from '../../ui/format.ts';
import { DownloadIcon, RecordIcon, ReplayIcon, StopIcon, UploadIcon } from '../../ui/icons.tsx';
import { isFiltering } from '../log/logFilter.ts';
import { importCaptureFile, saveRecordsAsPcapng } from './captureFiles.ts';
import './captures.css';

interface Imported {
  name: string;
  summary?: CaptureSummary;
  error?: AppError;
}

export function CapturesPanel() {
  const t = useT();
  const language = useLanguage();
  const { log, filter, mode, status, host, port } = useApp(
    useShallow((s) => ({
      log: s.log,
      filter: s.filter,
      mode: s.draft.mode,
      status: s.status,
      host: s.draft.host,
      port: s.draft.clientPort,
      revision: s.logRevision,
    })),
  );
  const ingest = useApp((s) => s.ingestTraffic);
  const [plaintext, setPlaintext] = useState(false);
  const [imported, setImported] = useState<Imported | null>(null);
  const [recording, setRecording] = useState<{ fromSeq: number; since: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const exportOptions = (): LogExportOptions => ({
    role: mode === 'server' ? 'server' : mode === 'serial' ? 'serial' : 'client',
    ...(status.state === 'listening' ? { local: `${status.bind}:${status.port}` } : {}),
    includePlaintext: plaintext,
  });
  const allRecords = () => log.allRecords();

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // the same file can be chosen again
    if (!file) return;
    const result = await importCaptureFile(file, ingest);
    setImported(result.ok ? { name: file.name, summary: result.value } : { name: file.name, error: result.error });
  };

  const stopRecording = () => {
    if (!recording) return;
    saveRecordsAsPcapng(
      allRecords().filter((r) => r.seq >= recording.fromSeq),
      exportOptions(),
    );
    setRecording(null);
  };

  // Rows since Record, counted without walking the log (this panel redraws with every batch).
  const recordedRows = recording ? log.upcomingSeq - recording.fromSeq : 0;
  const replayCommand = `msp --mode replay --read FILE.pcapng --host ${host || '127.0.0.1'} --port ${port || '9009'}`;

  return (
    <Panel title={t('captures.title')} testId="captures-panel">
      <section className="capture-section" aria-label={t('captures.export')}>
        <h3>{t('captures.export')}</h3>
        <p className="empty-note">{t('captures.exportHint')}</p>
        <Switch label={t('captures.plaintext')} title={t('captures.plaintextHint')} checked={plaintext} onChange={setPlaintext} testId="capture-plaintext" />
        <div className="capture-actions">
          <Button icon={<DownloadIcon />} data-testid="capture-export-all" disabled={log.size === 0} onClick={() => saveRecordsAsPcapng(allRecords(), exportOptions())}>
            {t('captures.exportAll', { n: formatCount(log.size, language) })}
          </Button>
          <Button
            icon={<DownloadIcon />}
            data-testid="capture-export-filtered"
            disabled={!isFiltering(filter) || log.viewLength === 0}
            onClick={() => saveRecordsAsPcapng(log.visibleRecords(), exportOptions())}
          >
            {isFiltering(filter) ? t('captures.exportFiltered', { n: formatCount(log.viewLength, language) }) : t('captures.exportFilteredNone')}
          </Button>
        </div>
      </section>

      <section className="capture-section" aria-label={t('captures.import')}>
        <h3>{t('captures.import')}</h3>
        <p className="empty-note">{t('captures.importHint')}</p>
        <input ref={fileInput} type="file" accept=".pcap,.pcapng,.cap" hidden data-testid="capture-import-input" onChange={(e) => void onFile(e)} />
        <div className="capture-actions">
          <Button icon={<UploadIcon />} data-testid="capture-import" onClick={() => fileInput.current?.click()}>
            {t('captures.importButton')}
          </Button>
        </div>
        {imported?.error && (
          <p className="inline-error" role="alert" data-testid="capture-import-error" data-code={imported.error.code}>
            {imported.name}: {errorText(t, imported.error)}
          </p>
        )}
        {imported?.summary && <ImportSummary name={imported.name} summary={imported.summary} />}
      </section>

      <section className="capture-section" aria-label={t('captures.record')}>
        <h3>{t('captures.record')}</h3>
        <p className="empty-note">{t('captures.recordHint')}</p>
        <div className="capture-actions">
          {recording ? (
            <Button variant="danger" icon={<StopIcon />} data-testid="capture-stop" onClick={stopRecording}>
              {t('captures.stop')}
            </Button>
          ) : (
            <Button icon={<RecordIcon />} data-testid="capture-record" onClick={() => setRecording({ fromSeq: log.upcomingSeq, since: Date.now() })}>
              {t('captures.start')}
            </Button>
          )}
        </div>
        {recording && (
          <p className="capture-recording" data-testid="capture-recording">
            {t('captures.recording', { since: formatClock(recording.since), n: formatCount(recordedRows, language) })}
          </p>
        )}
        <ReplayControls />
        <p className="empty-note">{t('captures.replayHint')}</p>
        <code className="capture-command" data-testid="capture-replay-command">{replayCommand}</code>
      </section>
    </Panel>
  );
}

/** Replays a recording's client side over this window's client link and lists what came back differently. */
function ReplayControls() {
  const t = useT();
  const { replay, connected } = useApp(useShallow((s) => ({ replay: s.replay, connected: s.status.state === 'connected' })));
  const { startReplay, stopReplay } = useApp(useShallow((s) => ({ startReplay: s.startReplay, stopReplay: s.stopReplay })));
  const [fast, setFast] = useState(true);
  const input = useRef<HTMLInputElement>(null);
  const running = replay.status === 'running';
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void startReplay(file, fast);
  };
  return (
    <div className="capture-replay">
      <input ref={input} type="file" accept=".pcap,.pcapng,.cap" hidden data-testid="capture-replay-input" onChange={onFile} />
      <Switch label={t('captures.fast')} title={t('captures.fastHint')} checked={fast} onChange={setFast} testId="capture-replay-fast" />
      <div className="capture-actions">
        {running ? (
          <Button variant="danger" icon={<StopIcon />} data-testid="capture-replay-stop" onClick={stopReplay}>
            {t('captures.replayStop')}
          </Button>
        ) : (
          <Button icon={<ReplayIcon />} data-testid="capture-replay" disabled={!connected} title={connected ? undefined : t('captures.replayNeedsClient')} onClick={() => input.current?.click()}>
            {t('captures.replayButton')}
          </Button>
        )}
      </div>
      {!connected && !running && <p className="empty-note">{t('captures.replayNeedsClient')}</p>}
      <ReplayResult />
    </div>
  );
}

function ReplayResult() {
  const t = useT();
  const replay = useApp((s) => s.replay);
  if (replay.status === 'idle') return null;
  if (replay.status === 'failed') {
    return (
      <p className="inline-error" role="alert" data-testid="capture-replay-error">
        {replay.file}: {errorText(t, replay.error)}
      </p>
    );
  }
  if (replay.status === 'running') {
    return <p className="capture-recording" data-testid="capture-replay-progress">{t('captures.replaying', { sent: replay.sent, total: replay.total })}</p>;
  }
  const same = replay.differences.length === 0 && !replay.interrupted;
  return (
    <div className="capture-summary" data-testid="capture-replay-result" data-differences={replay.differences.length}>
      <p className={same ? 'capture-same' : 'capture-differ'}>
        {same
          ? t('captures.replaySame', { sent: replay.sent, got: replay.got })
          : t('captures.replayDiffer', { n: replay.differences.length, sent: replay.sent, got: replay.got, expected: replay.expected })}
      </p>
      {replay.streams > 1 && <p className="empty-note">{t('captures.replayFirstStream', { stream: replay.stream, n: replay.streams })}</p>}
      <ol className="capture-differences">
        {replay.differences.slice(0, MAX_DIFFERENCES_SHOWN).map((d) => (
          <li key={d.reply} data-testid="capture-difference">
            {t('captures.difference', {
              reply: d.reply,
              expected: d.expected ? toHex(d.expected.raw) : t('captures.nothing'),
              got: d.got ? toHex(d.got.raw) : t('captures.nothing'),
            })}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A long list helps nobody: the first differences say what changed. */
const MAX_DIFFERENCES_SHOWN = 20;

function ImportSummary({ name, summary }: { name: string; summary: CaptureSummary }) {
  const t = useT();
  const language = useLanguage();
  const n = (value: number) => formatCount(value, language);
  const msp = summary.streams.filter((s) => s.verdict === 'msp');
  const packets = msp.reduce((sum, s) => sum + s.packets, 0);
  return (
    <div className="capture-summary" data-testid="capture-import-summary">
      <p>{t('captures.imported', { name, packets: n(packets), streams: n(msp.length), all: n(summary.streams.length) })}</p>
      <ul className="capture-streams">
        {summary.streams.map((s, i) => (
          <li key={i} data-testid="capture-stream" data-verdict={s.verdict} title={s.name}>
            <span className="capture-stream-name">{s.name}</span>
            <span className={`capture-verdict verdict-${s.verdict}`}>
              {s.verdict === 'msp'
                ? t('captures.streamMsp', { n: n(s.packets) })
                : s.verdict === 'other'
                  ? t('captures.streamOther')
                  : t('captures.streamEmpty')}
            </span>
          </li>
        ))}
      </ul>
      {summary.otherFrames > 0 && <p className="empty-note">{t('captures.otherFrames', { n: n(summary.otherFrames) })}</p>}
    </div>
  );
}
