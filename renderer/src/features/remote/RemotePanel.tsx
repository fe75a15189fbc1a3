/**
 * The Remote tool: as a client, the server's commands with their parameters, a form to run one,
 * its streamed output, exit code and cancel; as a server, the commands file offered, who is in
 * control (with a one-click revoke), and confirm-first commands asked of the local user.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { OfferedCommand, RemoteConfirmAsk, RemoteControllerInfo } from '../../../../shared/ipc/remote.ts';
import { errorText, useT, type MessageKey } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button, Panel } from '../../ui/controls.tsx';
import { formatBytes, formatClock } from '../../ui/format.ts';
import { AlertIcon, ShieldIcon } from '../../ui/icons.tsx';
import { RemoteRunForm } from './RemoteRunForm.tsx';
import { RemotePutForm } from './RemotePutForm.tsx';
import { RemoteRunOutput } from './RemoteRunOutput.tsx';
import './remote.css';

export function RemotePanel() {
  const mode = useApp((s) => s.draft.mode);
  return mode === 'server' ? <HostPanel /> : <ControlPanel />;
}

/** Controller: what the connected server allows, and the run shown. */
function ControlPanel() {
  const t = useT();
  const { status, commands, listing, error } = useApp(
    useShallow((s) => ({ status: s.status, commands: s.remoteCommands, listing: s.remoteListing, error: s.remoteError })),
  );
  const list = useApp((s) => s.listRemoteCommands);
  const [selected, setSelected] = useState<string | null>(null);
  const connected = status.state === 'connected';
  const authenticated = connected && status.lock === 'v3';
  // Asked once per connection: the list is what the panel is for.
  useEffect(() => {
    if (authenticated && commands === null && !listing && !error) void list();
  }, [authenticated, commands, listing, error, list]);
  const command = commands?.find((c) => c.name === selected) ?? null;

  return (
    <Panel
      title={t('remote.controlTitle')}
      testId="remote-control-panel"
      aside={
        authenticated && (
          <Button size="sm" onClick={() => void list()} disabled={listing} data-testid="remote-list">
            {listing ? t('remote.listing') : t('remote.list')}
          </Button>
        )
      }
    >
      {!connected ? (
        <p className="empty-note">{t('remote.notConnected')}</p>
      ) : !authenticated ? (
        // Said before the user tries: the server would refuse every request on this session.
        <div className="callout callout-info" data-testid="remote-needs-auth">
          <span className="callout-title">
            <ShieldIcon />
            {t('remote.needsAuthTitle')}
          </span>
          <span>{t('remote.needsAuth', { lock: t(`remote.lock.${status.lock ?? 'none'}` as MessageKey) })}</span>
        </div>
      ) : commands && commands.length === 0 ? (
        <p className="empty-note">{t('remote.noCommands')}</p>
      ) : (
        commands && (
          <ul className="remote-commands" data-testid="remote-commands">
            {commands.map((c) => (
              <CommandRow key={c.name} command={c} selected={c.name === selected} onSelect={() => setSelected(c.name === selected ? null : c.name)} />
            ))}
          </ul>
        )
      )}
      {command &&
        authenticated &&
        (command.builtin && command.name === 'put-file' ? <RemotePutForm key={command.name} command={command} /> : <RemoteRunForm key={command.name} command={command} />)}
      <RemoteRunOutput />
      {error && (
        <p className="inline-error" role="alert" data-testid="remote-error">
          {errorText(t, error)}
        </p>
      )}
      <p className="remote-hint">{t('remote.serverModeHint')}</p>
    </Panel>
  );
}

function CommandRow(props: { command: OfferedCommand; selected: boolean; onSelect(): void }) {
  const t = useT();
  const c = props.command;
  return (
    <li className={`remote-command ${props.selected ? 'selected' : ''}`} data-testid="remote-command" data-name={c.name}>
      <button type="button" onClick={props.onSelect} aria-pressed={props.selected}>
        <span className="remote-command-name">
          {c.name}
          {c.params.length > 0 && <span className="remote-command-params"> {c.params.map((p) => p.name).join(' ')}</span>}
        </span>
        <span className="remote-command-description">{c.description}</span>
        <span className="remote-command-meta">
          {c.builtin ? t('remote.builtin') : t('remote.limits', { s: c.timeoutSeconds, bytes: formatBytes(c.maxOutputBytes) })}
          {c.confirm && ` · ${t('remote.confirmFirst')}`}
        </span>
      </button>
    </li>
  );
}

/** Controlled side: the commands file, who is in control, and questions for the local user. */
function HostPanel() {
  const t = useT();
  const { host, error, status } = useApp(useShallow((s) => ({ host: s.remoteHost, error: s.remoteError, status: s.status })));
  const { load, use, stop } = useApp(useShallow((s) => ({ load: s.loadRemoteHost, use: s.useCommandsFile, stop: s.stopCommandsFile })));
  const [path, setPath] = useState('');
  useEffect(() => void load(), [load]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void use(path);
  };
  const listening = status.state === 'listening';

  return (
    <Panel title={t('remote.hostTitle')} testId="remote-host-panel">
      {host.controllers.length > 0 && <ActiveControllers controllers={host.controllers} />}
      {host.confirms.map((ask) => (
        <ConfirmAsk key={ask.confirmId} ask={ask} />
      ))}
      {host.commandsFile === null ? (
        <p className="empty-note">{t('remote.off')}</p>
      ) : (
        <div className="remote-offering" data-testid="remote-offering">
          <span>{t('remote.offering', { count: host.commands.length, names: host.commands.join(', ') })}</span>
          <code className="remote-path">{host.commandsFile}</code>
          {host.auditLog && <span className="remote-meta">{t('remote.auditLog', { path: host.auditLog })}</span>}
          {!listening && <span className="remote-meta">{t('remote.restartHint')}</span>}
          <span className="remote-meta">{t('remote.noPasswordHint')}</span>
        </div>
      )}
      <form className="remote-file" onSubmit={submit}>
        <label className="field grow">
          <span className="field-label">{t('remote.fileLabel')}</span>
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder={t('remote.filePlaceholder')} spellCheck={false} data-testid="remote-file" />
        </label>
        <div className="remote-file-actions">
          <Button type="submit" variant="primary" size="sm" disabled={path.trim() === ''} data-testid="remote-use">
            {t('remote.use')}
          </Button>
          {host.commandsFile !== null && (
            <Button size="sm" variant="ghost" onClick={() => void stop()} data-testid="remote-stop">
              {t('remote.stopOffering')}
            </Button>
          )}
        </div>
      </form>
      {error && (
        <p className="inline-error" role="alert" data-testid="remote-error">
          {errorText(t, error)}
        </p>
      )}
      <p className="remote-hint">{t('remote.clientModeHint')}</p>
    </Panel>
  );
}

function ActiveControllers(props: { controllers: RemoteControllerInfo[] }) {
  const t = useT();
  const revoke = useApp((s) => s.revokeRemote);
  return (
    <div className="callout remote-active" data-testid="remote-active" role="status">
      <span className="callout-title">
        <span className="remote-dot" aria-hidden="true" />
        {t('remote.active')}
      </span>
      <ul className="remote-controllers">
        {props.controllers.map((c) => (
          <li key={c.peer} data-testid="remote-controller" data-peer={c.peer}>
            <span>
              {c.lastCommand
                ? t('remote.controller', { peer: c.peer, running: c.running, command: c.lastCommand })
                : t('remote.controllerIdle', { peer: c.peer, time: formatClock(c.since).slice(0, 8) })}
            </span>
            <Button size="sm" variant="danger" onClick={() => void revoke(c.peer)} data-testid="remote-revoke">
              {t('remote.revoke')}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ConfirmAsk(props: { ask: RemoteConfirmAsk }) {
  const t = useT();
  const answer = useApp((s) => s.answerRemoteConfirm);
  const { ask } = props;
  const args = Object.entries(ask.args);
  return (
    <div className="callout callout-error remote-confirm" role="alertdialog" aria-label={t('remote.confirmTitle')} data-testid="remote-confirm">
      <span className="callout-title">
        <AlertIcon />
        {t('remote.confirmTitle')}
      </span>
      <span>{t('remote.confirmAsk', { peer: ask.peer, command: ask.command })}</span>
      {ask.description && <span className="callout-detail">{ask.description}</span>}
      {args.length > 0 && <code className="remote-path">{args.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}</code>}
      <div className="callout-actions">
        <Button size="sm" variant="primary" onClick={() => void answer(ask.confirmId, true)} data-testid="remote-allow">
          {t('remote.allow')}
        </Button>
        <Button size="sm" onClick={() => void answer(ask.confirmId, false)} data-testid="remote-deny">
          {t('remote.deny')}
        </Button>
      </div>
    </div>
  );
}

/** The rail's badge: a dot while someone controls this machine, "!" while a question waits. */
export function useRemoteBadge(): string | null {
  const { confirms, controllers } = useApp(useShallow((s) => ({ confirms: s.remoteHost.confirms.length, controllers: s.remoteHost.controllers.length })));
  return confirms > 0 ? '!' : controllers > 0 ? String(controllers) : null;
}
