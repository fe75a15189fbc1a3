/**
 * The send box: text, hex or raw bytes; Enter sends; up/down walk the history; a repeat
 * count and interval; and, under it, the exact bytes that will go on the wire. Invalid
 * hex is pointed at as it is typed and the message is not sent until it is fixed.
 */
import { useMemo, type FormEvent, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { composeOutgoing, type ComposeError, type SendFormat } from '../../../../shared/send/compose.ts';
import { errorText, useT, type Translate } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { HISTORY_LIMIT } from '../../../../shared/limits.ts';
import { Button, Segmented, Switch } from '../../ui/controls.tsx';
import { SendIcon, StopIcon } from '../../ui/icons.tsx';
import { WireBytes, WireFacts } from './WirePreview.tsx';

export function SendBox() {
  const t = useT();
  const s = useApp(
    useShallow((state) => ({
      format: state.sendFormat,
      input: state.sendInput,
      repeatText: state.repeatText,
      intervalText: state.intervalText,
      progress: state.sendProgress,
      error: state.sendError,
      status: state.status,
      mode: state.draft.mode,
      clients: state.clients,
      target: state.sendTarget,
      saveHistory: state.saveHistory,
    })),
  );
  const actions = useApp(
    useShallow((state) => ({
      setFormat: state.setSendFormat,
      setInput: state.setSendInput,
      setRepeat: state.setRepeatText,
      setInterval: state.setIntervalText,
      setTarget: state.setSendTarget,
      setSaveHistory: state.setSaveHistory,
      up: state.historyUp,
      down: state.historyDown,
      send: state.send,
      cancel: state.cancelSend,
    })),
  );
  const composed = useMemo(() => composeOutgoing(s.format, s.input), [s.format, s.input]);
  const linkReady =
    s.status.state === 'connected' ||
    (s.status.state === 'listening' && s.clients.length > 0) ||
    (s.status.state === 'serial' && s.status.phase === 'open');
  const hexError = !composed.ok && composed.error.code === 'MSP_ERR_BAD_HEX' ? composed.error : undefined;
  const canSend = linkReady && composed.ok && s.input !== '' && !s.progress.running;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (canSend) void actions.send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      actions.up();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      actions.down();
    }
  };

  return (
    <form className="sendbox" onSubmit={onSubmit} data-testid="sendbox">
      <div className="send-row">
        <Segmented<SendFormat>
          label={t('send.format')}
          value={s.format}
          testId="send-format"
          options={[
            { value: 'text', label: t('send.text'), title: t('send.textHint') },
            { value: 'hex', label: t('send.hex'), title: t('send.hexHint') },
            { value: 'raw', label: t('send.raw'), title: t('send.rawHint') },
          ]}
          onChange={actions.setFormat}
        />
        {s.status.state === 'listening' && (
          <label className="send-target">
            <span className="field-label">{t('send.to')}</span>
            <select
              value={String(s.target)}
              data-testid="send-target"
              onChange={(e) => actions.setTarget(e.target.value === 'all' ? 'all' : Number(e.target.value))}
            >
              <option value="all">{t('send.allClients')}</option>
              {s.clients.map((c) => (
                <option key={c.clientId} value={c.clientId}>
                  {c.peer}
                </option>
              ))}
            </select>
          </label>
        )}
        <input
          className={`send-input ${s.format !== 'text' ? 'mono' : ''}`}
          value={s.input}
          placeholder={t(`send.placeholder.${s.format}`)}
          aria-label={t('send.send')}
          aria-invalid={hexError !== undefined}
          spellCheck={false}
          autoComplete="off"
          data-testid="send-input"
          onChange={(e) => actions.setInput(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {s.progress.running ? (
          <Button variant="danger" icon={<StopIcon />} onClick={() => void actions.cancel()} data-testid="stop-send">
            {t('send.stop')} {s.progress.sent}/{s.progress.total}
          </Button>
        ) : (
          <Button
            type="submit"
            variant="primary"
            icon={<SendIcon />}
            disabled={!canSend}
            title={linkReady ? undefined : t(s.status.state === 'listening' ? 'apperror.APP_ERR_NO_CLIENTS' : s.status.state === 'serial' || s.mode === 'serial' ? 'apperror.SERIAL_NOT_OPEN' : 'apperror.APP_ERR_NOT_CONNECTED')}
            data-testid="send-button"
          >
            {t('send.send')}
          </Button>
        )}
      </div>
      <div className="send-feedback">
        <div className="send-preview">
          {hexError ? (
            <HexErrorNote input={s.input} error={hexError} t={t} />
          ) : s.error ? (
            <p className="inline-error" role="alert" data-testid="send-error">{errorText(t, s.error)}</p>
          ) : !composed.ok ? (
            <p className="inline-error">{errorText(t, composed.error)}</p>
          ) : (
            <WireFacts composed={composed} input={s.input} />
          )}
          {s.progress.running && s.progress.total > 1 && (
            <span className="muted small" data-testid="send-progress">{t('send.progress', { sent: s.progress.sent, total: s.progress.total })}</span>
          )}
          {!s.progress.running && s.progress.total > 1 && s.progress.sent < s.progress.total && (
            <span className="muted small" data-testid="send-stopped">
              {t('send.stopped', { sent: s.progress.sent, total: s.progress.total })}
              {s.progress.error ? `: ${errorText(t, s.progress.error)}` : ''}
            </span>
          )}
        </div>
        <div className="send-repeats">
          <label className="send-repeat" title={t('send.repeat')}>
            <span className="field-label">{t('send.repeat')}</span>
            <input value={s.repeatText} inputMode="numeric" data-testid="repeat" onChange={(e) => actions.setRepeat(e.target.value)} />
            <span className="field-label">{t('send.times')}</span>
          </label>
          <label className="send-repeat">
            <span className="field-label">{t('send.every')}</span>
            <input value={s.intervalText} inputMode="numeric" data-testid="interval" onChange={(e) => actions.setInterval(e.target.value)} />
            <span className="field-label">{t('send.ms')}</span>
          </label>
          <Switch
            label={t('send.saveHistory')}
            title={t('send.saveHistoryHint', { n: HISTORY_LIMIT })}
            checked={s.saveHistory}
            onChange={actions.setSaveHistory}
            testId="save-history"
          />
        </div>
      </div>
      <WireBytes composed={composed} input={s.input} />
    </form>
  );
}

/** Points at the offending character: the input echoed with that character marked, and why. */
function HexErrorNote({ input, error, t }: { input: string; error: ComposeError; t: Translate }) {
  const at = error.position ?? 0;
  const ch = input[at] ?? '';
  const oddDigit = /[0-9a-f]/i.test(ch);
  return (
    <div className="hex-error" role="alert" data-testid="hex-error" data-position={at}>
      <code className="hex-echo">
        {input.slice(0, at)}
        <mark>{ch === ' ' ? '␣' : ch}</mark>
        {input.slice(at + 1)}
      </code>
      <span>{oddDigit ? t('send.oddDigit', { col: at + 1 }) : t('send.badHexChar', { ch, col: at + 1 })}</span>
    </div>
  );
}
