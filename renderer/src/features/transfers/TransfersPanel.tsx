/**
 * The Transfers tool: drop or pick files to send them over the open link (MSP file transfer,
 * verified by SHA-256, resumable), answer offers from the peer, choose how offers are handled,
 * and follow every transfer with its progress, rate and ETA, with pause, resume and cancel.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { IncomingOffer, TransferView } from '../../../../shared/ipc/transfer.ts';
import { errorText, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button, Panel, Segmented } from '../../ui/controls.tsx';
import { formatBytes, formatBytesPerSec } from '../../ui/format.ts';
import './transfers.css';

export function TransfersPanel() {
  const load = useApp((s) => s.loadTransfers);
  useEffect(() => void load(), [load]);
  return (
    <>
      <Offers />
      <SendFiles />
      <ReceiveSettingsPanel />
      <TransferList />
    </>
  );
}

function SendFiles() {
  const t = useT();
  const { connected, uploading, error, sendFiles } = useApp(
    useShallow((s) => ({
      connected: s.status.state === 'connected' || s.status.state === 'listening' || s.status.state === 'serial',
      uploading: s.uploading,
      error: s.transferError,
      sendFiles: s.sendFiles,
    })),
  );
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0 && connected) void sendFiles(files);
  };
  return (
    <Panel title={t('transfers.send')} testId="transfers-send">
      <div
        className={`drop-zone ${over ? 'over' : ''} ${connected ? '' : 'disabled'}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span className="drop-title">{t('transfers.drop')}</span>
        <span className="drop-hint">{connected ? t('transfers.dropHint') : t('transfers.notConnected')}</span>
        <Button size="sm" disabled={!connected} onClick={() => input.current?.click()} data-testid="pick-files">
          {t('transfers.pick')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            if (files.length > 0) void sendFiles(files);
          }}
        />
      </div>
      {uploading.map((name) => (
        <p key={name} className="empty-note">
          {t('transfers.preparing', { name })}
        </p>
      ))}
      {error && (
        <p className="inline-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </Panel>
  );
}

function Offers() {
  const offers = useApp((s) => s.offers);
  if (offers.length === 0) return null;
  return (
    <>
      {offers.map((offer) => (
        <OfferCard key={offer.offerId} offer={offer} />
      ))}
    </>
  );
}

function OfferCard({ offer }: { offer: IncomingOffer }) {
  const t = useT();
  const answer = useApp((s) => s.answerOffer);
  const [folder, setFolder] = useState(offer.folder);
  const [always, setAlways] = useState(false);
  return (
    <section className="panel offer-card" data-testid="offer" aria-live="polite">
      <p className="offer-title">{t('transfers.offer', { peer: offer.peer, name: offer.name, size: formatBytes(offer.size) })}</p>
      <label className="field">
        <span className="field-label">{t('transfers.offerFolder')}</span>
        <input value={folder} onChange={(e) => setFolder(e.target.value)} spellCheck={false} data-testid="offer-folder" />
      </label>
      <label className="check-row">
        <input type="checkbox" checked={always} onChange={(e) => setAlways(e.target.checked)} data-testid="offer-always" />
        <span>{t('transfers.always')}</span>
      </label>
      <div className="offer-actions">
        <Button variant="primary" size="sm" onClick={() => void answer(offer.offerId, true, folder, always)} data-testid="offer-accept">
          {t('transfers.accept')}
        </Button>
        <Button size="sm" onClick={() => void answer(offer.offerId, false, folder, false)} data-testid="offer-decline">
          {t('transfers.decline')}
        </Button>
      </div>
    </section>
  );
}

function ReceiveSettingsPanel() {
  const t = useT();
  const { receive, setReceive } = useApp(useShallow((s) => ({ receive: s.receive, setReceive: s.setReceive })));
  const [folder, setFolder] = useState(receive.folder);
  useEffect(() => setFolder(receive.folder), [receive.folder]);
  const hint = receive.mode === 'ask' ? 'transfers.receive.askHint' : receive.mode === 'folder' ? 'transfers.receive.folderHint' : 'transfers.receive.offHint';
  return (
    <Panel title={t('transfers.receive')} testId="transfers-receive">
      <Segmented
        label={t('transfers.receive')}
        size="sm"
        value={receive.mode}
        testId="receive-mode"
        options={[
          { value: 'ask', label: t('transfers.receive.ask') },
          { value: 'folder', label: t('transfers.receive.folder') },
          { value: 'off', label: t('transfers.receive.off') },
        ]}
        onChange={(mode) => void setReceive({ mode, ...(folder.trim() ? { folder: folder.trim() } : {}) })}
      />
      <p className="empty-note">{t(hint)}</p>
      <label className="field">
        <span className="field-label">{t('transfers.folder')}</span>
        <input
          value={folder}
          spellCheck={false}
          data-testid="receive-folder"
          onChange={(e) => setFolder(e.target.value)}
          onBlur={() => folder.trim() && folder.trim() !== receive.folder && void setReceive({ mode: receive.mode, folder: folder.trim() })}
        />
      </label>
    </Panel>
  );
}

function TransferList() {
  const t = useT();
  const transfers = useApp((s) => s.transfers);
  return (
    <Panel title={t('transfers.list')} testId="transfers-list">
      {transfers.length === 0 ? (
        <p className="empty-note">{t('transfers.empty')}</p>
      ) : (
        <ul className="transfer-list">
          {transfers.map((view) => (
            <TransferRow key={view.key} view={view} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function TransferRow({ view }: { view: TransferView }) {
  const t = useT();
  const { stop, resume } = useApp(useShallow((s) => ({ stop: s.stopTransfer, resume: s.resumeTransfer })));
  const percent = view.size > 0 ? Math.floor((view.bytes / view.size) * 100) : view.state === 'done' ? 100 : 0;
  const active = view.state === 'running' || view.state === 'waiting';
  return (
    <li className={`transfer-row state-${view.state}`} data-testid="transfer-row" data-dir={view.dir} data-state={view.state} data-name={view.name}>
      <div className="transfer-head">
        <span className={`transfer-dir dir-${view.dir}`} aria-hidden="true">
          {view.dir === 'send' ? '↑' : '↓'}
        </span>
        <span className="transfer-name" title={view.name}>
          {view.name}
        </span>
        <span className={`transfer-state state-${view.state}`}>{t(`transfers.state.${view.state}`)}</span>
      </div>
      <div className="transfer-peer">{view.peer ? t(view.dir === 'send' ? 'transfers.to' : 'transfers.from', { peer: view.peer }) : ' '}</div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={view.name}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer-figures">
        <span data-testid="transfer-progress">{t('transfers.progress', { done: formatBytes(view.bytes), size: formatBytes(view.size), percent })}</span>
        {view.state === 'running' && view.rateBytesPerSec > 0 && <span>{t('transfers.rateEta', { rate: formatBytesPerSec(view.rateBytesPerSec), eta: eta(view) })}</span>}
      </div>
      {view.state === 'done' && view.savedAs && (
        <div className="transfer-note" data-testid="transfer-saved">
          {view.dir === 'receive' ? t('transfers.savedAs', { name: view.savedAs, folder: view.folder ?? '' }) : t('transfers.sentAs', { name: view.savedAs })}
        </div>
      )}
      {view.error && view.state !== 'done' && (
        <div className={view.state === 'paused' ? 'transfer-note' : 'transfer-note inline-error'}>{errorText(t, view.error)}</div>
      )}
      {(active || view.resumable) && (
        <div className="transfer-actions">
          {active && view.state === 'running' && (
            <Button size="sm" onClick={() => void stop(view.key, 'paused')} data-testid="transfer-pause">
              {t('transfers.pause')}
            </Button>
          )}
          {view.resumable && (
            <Button size="sm" variant="primary" onClick={() => void resume(view.key)} data-testid="transfer-resume">
              {t('transfers.resume')}
            </Button>
          )}
          {active && (
            <Button size="sm" variant="danger" onClick={() => void stop(view.key, 'cancelled')} data-testid="transfer-cancel">
              {t('transfers.cancel')}
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

function eta(view: TransferView): string {
  const seconds = Math.ceil((view.size - view.bytes) / view.rateBytesPerSec);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
