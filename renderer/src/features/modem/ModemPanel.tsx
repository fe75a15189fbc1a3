/**
 * The X/Y/ZMODEM tool: file transfer with peers that do not speak MSP (a DOS terminal, lrzsz,
 * Telix), over a serial port or raw TCP, like `msp --mode send|receive --protocol …`. The
 * line, the protocol, Send (drop or pick files) or Receive (into a folder), and the run's
 * progress per file with Cancel. The window's MSP link keeps its own port: main refuses it.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModemFileView, ModemRunView } from '../../../../shared/ipc/modem.ts';
import { MODEM_PROTOCOLS } from '../../../../shared/modem/protocols.ts';
import { errorText, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button, Panel, Segmented } from '../../ui/controls.tsx';
import { formatBytes, formatBytesPerSec } from '../../ui/format.ts';
import { LineSettingsFields } from '../serial/LineSettingsFields.tsx';
import { SerialPortList } from '../serial/SerialPortList.tsx';
import '../serial/serial.css';
import '../transfers/transfers.css';
import './modem.css';

export function ModemPanel() {
  const { load, loadOptions, refresh } = useApp(
    useShallow((s) => ({ load: s.loadModem, loadOptions: s.loadSerialOptions, refresh: s.refreshSerialPorts })),
  );
  useEffect(() => {
    void load();
    void loadOptions();
    void refresh();
  }, [load, loadOptions, refresh]);
  return (
    <>
      <LineSettings />
      <TransferSettings />
      <RunProgress />
    </>
  );
}

function LineSettings() {
  const t = useT();
  const { draft, set, options, mspPort } = useApp(
    useShallow((s) => ({ draft: s.modemDraft, set: s.setModemDraft, options: s.serialOptions, mspPort: s.status.state === 'serial' ? s.status.path : undefined })),
  );
  return (
    <Panel title={t('modem.line')} testId="modem-line">
      <Segmented
        label={t('modem.line')}
        size="sm"
        value={draft.kind}
        testId="modem-kind"
        options={[
          { value: 'serial', label: t('modem.kind.serial') },
          { value: 'tcp', label: t('modem.kind.tcp') },
        ]}
        onChange={(kind) => set({ kind })}
      />
      {draft.kind === 'tcp' ? (
        <div className="serial-grid">
          <label className="field">
            <span className="field-label">{t('connection.host')}</span>
            <input value={draft.host} spellCheck={false} data-testid="modem-host" onChange={(e) => set({ host: e.target.value })} />
          </label>
          <label className="field">
            <span className="field-label">{t('connection.port')}</span>
            <input value={draft.portText} inputMode="numeric" data-testid="modem-port" onChange={(e) => set({ portText: e.target.value })} />
          </label>
          <span className="serial-hint span-2">{t('modem.tcpHint')}</span>
        </div>
      ) : (
        <>
          <label className="field">
            <span className="field-label">{t('serial.port')}</span>
            <input
              value={draft.path}
              spellCheck={false}
              autoComplete="off"
              placeholder={t('serial.pathPlaceholder')}
              data-testid="modem-path"
              onChange={(e) => set({ path: e.target.value })}
            />
          </label>
          <SerialPortList path={draft.path} onPick={(path) => set({ path })} />
          {mspPort && <span className="serial-hint" data-testid="modem-msp-port">{t('modem.mspPort', { path: mspPort })}</span>}
          <LineSettingsFields line={draft} onChange={set} options={options} testIdPrefix="modem" />
        </>
      )}
    </Panel>
  );
}

function TransferSettings() {
  const t = useT();
  const { draft, set, start, starting, running, error } = useApp(
    useShallow((s) => ({
      draft: s.modemDraft,
      set: s.setModemDraft,
      start: s.startModem,
      starting: s.modemStarting,
      running: s.modemRun?.state === 'opening' || s.modemRun?.state === 'running',
      error: s.modemError,
    })),
  );
  const xmodem = draft.protocol.startsWith('xmodem');
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (error) errorRef.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  return (
    <Panel title={t('modem.transfer')} testId="modem-transfer">
      <label className="field">
        <span className="field-label">{t('modem.protocol')}</span>
        <select value={draft.protocol} data-testid="modem-protocol" onChange={(e) => set({ protocol: e.target.value as typeof draft.protocol })}>
          {MODEM_PROTOCOLS.map((p) => <option key={p} value={p}>{t(`modem.protocol.${p}`)}</option>)}
        </select>
      </label>
      <Segmented
        label={t('modem.direction')}
        size="sm"
        value={draft.direction}
        testId="modem-direction"
        options={[
          { value: 'send', label: t('modem.send') },
          { value: 'receive', label: t('modem.receive') },
        ]}
        onChange={(direction) => set({ direction })}
      />
      {draft.direction === 'send' ? <SendFiles /> : <ReceiveFields xmodem={xmodem} />}
      <Button variant="primary" disabled={starting || running} onClick={() => void start()} data-testid="modem-start">
        {draft.direction === 'send' ? t('modem.startSend') : t('modem.startReceive')}
      </Button>
      {error && (
        <p className="inline-error" role="alert" data-testid="modem-error" ref={errorRef}>
          {errorText(t, error)}
        </p>
      )}
    </Panel>
  );
}

function SendFiles() {
  const t = useT();
  const { files, add, remove, xmodem } = useApp(
    useShallow((s) => ({ files: s.modemFiles, add: s.addModemFiles, remove: s.removeModemFile, xmodem: s.modemDraft.protocol.startsWith('xmodem') })),
  );
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const dropped = [...event.dataTransfer.files];
    if (dropped.length > 0) add(dropped);
  };
  return (
    <>
      <div
        className={`drop-zone ${over ? 'over' : ''}`}
        data-testid="modem-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span className="drop-title">{t(xmodem ? 'modem.dropOne' : 'modem.drop')}</span>
        <Button size="sm" onClick={() => input.current?.click()} data-testid="modem-pick">
          {t('transfers.pick')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple={!xmodem}
          hidden
          data-testid="modem-file-input"
          onChange={(event) => {
            const picked = [...(event.target.files ?? [])];
            event.target.value = '';
            if (picked.length > 0) add(picked);
          }}
        />
      </div>
      {files.length > 0 && (
        <ul className="modem-chosen" data-testid="modem-chosen">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`}>
              <span className="modem-chosen-name" title={file.name}>{file.name}</span>
              <span className="modem-chosen-size">{formatBytes(file.size)}</span>
              <Button size="sm" variant="ghost" onClick={() => remove(i)} aria-label={t('modem.remove', { name: file.name })}>
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ReceiveFields({ xmodem }: { xmodem: boolean }) {
  const t = useT();
  const { draft, set } = useApp(useShallow((s) => ({ draft: s.modemDraft, set: s.setModemDraft })));
  return (
    <>
      <label className="field">
        <span className="field-label">{t('transfers.folder')}</span>
        <input value={draft.folder} spellCheck={false} data-testid="modem-folder" onChange={(e) => set({ folder: e.target.value })} />
      </label>
      {xmodem && (
        <label className="field">
          <span className="field-label">{t('modem.xmodemName')}</span>
          <input value={draft.xmodemName} spellCheck={false} data-testid="modem-xmodem-name" onChange={(e) => set({ xmodemName: e.target.value })} />
          <span className="serial-hint">{t('modem.xmodemNameHint')}</span>
        </label>
      )}
      <div className="serial-grid">
        <label className="field">
          <span className="field-label">{t('modem.maxSize')}</span>
          <input value={draft.maxSizeText} spellCheck={false} data-testid="modem-max-size" onChange={(e) => set({ maxSizeText: e.target.value })} />
        </label>
        <label className="check-row modem-overwrite">
          <input type="checkbox" checked={draft.overwrite} data-testid="modem-overwrite" onChange={(e) => set({ overwrite: e.target.checked })} />
          <span>{t('modem.overwrite')}</span>
        </label>
      </div>
      <span className="serial-hint">{t('modem.receiveHint')}</span>
    </>
  );
}

function RunProgress() {
  const t = useT();
  const { run, cancel } = useApp(useShallow((s) => ({ run: s.modemRun, cancel: s.cancelModem })));
  const end = useRef<HTMLDivElement>(null);
  // A new run or a new file: bring the progress into view (the form above it is long).
  const runId = run?.runId;
  const fileCount = run?.files.length ?? 0;
  useEffect(() => {
    if (runId !== undefined) end.current?.scrollIntoView({ block: 'nearest' });
  }, [runId, fileCount]);
  if (!run) {
    return (
      <Panel title={t('modem.progress')} testId="modem-run">
        <p className="empty-note">{t('modem.idle')}</p>
      </Panel>
    );
  }
  const active = run.state === 'opening' || run.state === 'running';
  return (
    <Panel title={t('modem.progress')} testId="modem-run">
      <div className="modem-run-head" data-testid="modem-run-state" data-state={run.state}>
        <span className={`transfer-state state-${runStateClass(run)}`}>{t(`modem.state.${run.state}`)}</span>
        <span className="modem-run-what">
          {t(run.direction === 'send' ? 'modem.sendingOn' : 'modem.receivingOn', { protocol: run.protocol.toUpperCase(), line: run.line })}
        </span>
      </div>
      {run.files.length === 0 && active && <p className="empty-note">{t(run.direction === 'send' ? 'modem.waitReceiver' : 'modem.waitSender')}</p>}
      {run.files.length > 0 && (
        <ul className="transfer-list">
          {run.files.map((file, i) => (
            <FileRow key={`${file.name}-${i}`} file={file} direction={run.direction} />
          ))}
        </ul>
      )}
      {run.error && run.state !== 'cancelled' && (
        <p className="inline-error" role="alert" data-testid="modem-run-error">
          {errorText(t, run.error)}
        </p>
      )}
      {active && (
        <div className="transfer-actions">
          <Button size="sm" variant="danger" onClick={() => void cancel()} data-testid="modem-cancel">
            {t('transfers.cancel')}
          </Button>
        </div>
      )}
      <div ref={end} className="modem-run-end" />
    </Panel>
  );
}

function FileRow({ file, direction }: { file: ModemFileView; direction: 'send' | 'receive' }) {
  const t = useT();
  const size = file.size;
  const percent = size ? Math.min(100, Math.floor((file.bytes / size) * 100)) : file.state === 'done' ? 100 : 0;
  return (
    <li className={`transfer-row state-${file.state}`} data-testid="modem-file" data-state={file.state} data-name={file.name}>
      <div className="transfer-head">
        <span className={`transfer-dir dir-${direction}`} aria-hidden="true">
          {direction === 'send' ? '↑' : '↓'}
        </span>
        <span className="transfer-name" title={file.name}>
          {file.name}
        </span>
        <span className={`transfer-state state-${file.state === 'skipped' ? 'paused' : file.state}`}>{t(`modem.file.${file.state}`)}</span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={file.name}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer-figures">
        <span data-testid="modem-file-progress">
          {size !== undefined ? t('transfers.progress', { done: formatBytes(file.bytes), size: formatBytes(size), percent }) : formatBytes(file.bytes)}
        </span>
        {file.state === 'running' && file.rateBytesPerSec > 0 && (
          <span>{size !== undefined ? t('transfers.rateEta', { rate: formatBytesPerSec(file.rateBytesPerSec), eta: eta(size - file.bytes, file.rateBytesPerSec) }) : formatBytesPerSec(file.rateBytesPerSec)}</span>
        )}
        {file.retries > 0 && <span data-testid="modem-file-retries">{t('modem.retries', { n: file.retries })}</span>}
      </div>
      {file.savedAs && (
        <div className="transfer-note" data-testid="modem-file-saved">
          {t('modem.savedAs', { path: file.savedAs })}
          {file.offeredAs !== undefined && ` ${t('modem.offeredAs', { name: file.offeredAs })}`}
        </div>
      )}
      {file.note && <div className="transfer-note">{file.note}</div>}
    </li>
  );
}

function runStateClass(run: ModemRunView): string {
  return run.state === 'opening' ? 'waiting' : run.state === 'cancelled' ? 'paused' : run.state;
}

function eta(bytesLeft: number, rate: number): string {
  const seconds = Math.ceil(bytesLeft / rate);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
