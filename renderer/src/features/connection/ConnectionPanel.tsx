/** Client or server, where to, and connect / listen. The inputs lock while a link is open. */
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { errorText, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { isLinkOpen } from '../../store/linkSlice.ts';
import { Button, Panel, Segmented } from '../../ui/controls.tsx';
import { PlugIcon, ServerIcon, StopIcon } from '../../ui/icons.tsx';
import { SerialSettings } from '../serial/SerialSettings.tsx';
import { SerialSummary } from '../serial/SerialSummary.tsx';
import type { Mode } from '../../store/linkSlice.ts';
import { needsFirewallHint } from './firewall.ts';
import { FirewallHint } from './FirewallHint.tsx';
import { SecurityFields } from '../security/SecurityFields.tsx';
import { SecuritySummary } from '../security/SecuritySummary.tsx';
import { LinkErrorCallout } from './LinkErrorCallout.tsx';

export function ConnectionPanel() {
  const t = useT();
  const { draft, status, platform, requestError } = useApp(
    useShallow((s) => ({ draft: s.draft, status: s.status, platform: s.info.platform, requestError: s.linkRequestError })),
  );
  const { setDraft, openLink, closeLink } = useApp(
    useShallow((s) => ({ setDraft: s.setDraft, openLink: s.openLink, closeLink: s.closeLink })),
  );
  const open = isLinkOpen(status);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void (open ? closeLink() : openLink());
  };
  const listeningPort = status.state === 'listening' ? status.port : Number(draft.serverPort) || 0;

  return (
    <Panel title={t('connection.title')} testId="connection-panel">
      <form className="connection-form" onSubmit={onSubmit}>
        <Segmented
          label={t('connection.title')}
          value={draft.mode}
          disabled={open}
          testId="mode"
          options={[
            { value: 'client', label: t('connection.client') },
            { value: 'server', label: t('connection.server') },
            { value: 'serial', label: t('connection.serial') },
          ]}
          onChange={(mode) => setDraft({ mode })}
        />

        {draft.mode === 'serial' ? (
          open ? <SerialSummary /> : <SerialSettings />
        ) : open ? (
          <LinkSummary />
        ) : draft.mode === 'client' ? (
          <div className="field-row">
            <label className="field grow">
              <span className="field-label">{t('connection.host')}</span>
              <input
                value={draft.host}
                disabled={open}
                spellCheck={false}
                autoComplete="off"
                data-testid="host"
                onChange={(e) => setDraft({ host: e.target.value })}
              />
            </label>
            <label className="field port">
              <span className="field-label">{t('connection.port')}</span>
              <input
                value={draft.clientPort}
                disabled={open}
                inputMode="numeric"
                data-testid="client-port"
                onChange={(e) => setDraft({ clientPort: e.target.value })}
              />
            </label>
          </div>
        ) : (
          <>
            <fieldset className="bind-choice" disabled={open}>
              <legend className="field-label">{t('connection.bind')}</legend>
              <BindOption value="127.0.0.1" checked={draft.bind === '127.0.0.1'} title={t('connection.bindLocal')} hint={t('connection.bindLocalHint')} onPick={() => setDraft({ bind: '127.0.0.1' })} />
              <BindOption value="0.0.0.0" checked={draft.bind === '0.0.0.0'} title={t('connection.bindAll')} hint={t('connection.bindAllHint')} onPick={() => setDraft({ bind: '0.0.0.0' })} />
            </fieldset>
            <label className="field port">
              <span className="field-label">{t('connection.port')}</span>
              <input
                value={draft.serverPort}
                disabled={open}
                inputMode="numeric"
                data-testid="server-port"
                title={t('connection.portAny')}
                onChange={(e) => setDraft({ serverPort: e.target.value })}
              />
            </label>
          </>
        )}

        {draft.mode !== 'serial' && (open ? <SecuritySummary /> : <SecurityFields mode={draft.mode} />)}

        <LinkButton mode={draft.mode} state={status.state} />

        {status.state === 'error' && <LinkErrorCallout error={status.error} t={t} />}
        {requestError && (
          <div className="callout callout-error" role="alert" data-testid="link-request-error">
            <p>{errorText(t, requestError)}</p>
          </div>
        )}
        {draft.mode === 'server' && needsFirewallHint(platform, draft.bind) && <FirewallHint port={listeningPort} />}
      </form>
    </Panel>
  );
}

/** While a link is open its settings cannot change: a compact summary instead of the form. */
function LinkSummary() {
  const t = useT();
  const status = useApp((s) => s.status);
  if (status.state === 'listening') {
    return (
      <dl className="link-summary" data-testid="link-summary">
        <dt>{t('connection.openTo')}</dt>
        <dd>
          {status.bind}
          <span className="summary-note">{status.bind === '0.0.0.0' ? t('connection.bindAll') : t('connection.bindLocal')}</span>
        </dd>
        <dt>{t('connection.port')}</dt>
        <dd>{status.port}</dd>
      </dl>
    );
  }
  if (status.state === 'connected' || status.state === 'connecting') {
    return (
      <dl className="link-summary" data-testid="link-summary">
        <dt>{t('connection.host')}</dt>
        <dd>{status.host}</dd>
        <dt>{t('connection.port')}</dt>
        <dd>{status.port}</dd>
      </dl>
    );
  }
  return null;
}

function LinkButton({ mode, state }: { mode: Mode; state: string }) {
  const t = useT();
  if (mode === 'serial') return <SerialButton />;
  if (state === 'connecting') {
    return <Button type="submit" icon={<StopIcon />} data-testid="link-button">{t('connection.cancel')}</Button>;
  }
  if (state === 'connected' || state === 'listening') {
    return (
      <Button type="submit" variant="danger" icon={<StopIcon />} data-testid="link-button">
        {mode === 'client' ? t('connection.disconnect') : t('connection.stop')}
      </Button>
    );
  }
  return (
    <Button type="submit" variant="primary" icon={mode === 'client' ? <PlugIcon /> : <ServerIcon />} data-testid="link-button">
      {mode === 'client' ? t('connection.connect') : t('connection.listen')}
    </Button>
  );
}

function SerialButton() {
  const t = useT();
  const status = useApp((s) => s.status);
  if (status.state === 'serial') {
    const label = status.phase === 'reopening' ? t('serial.stopReopening') : status.phase === 'opening' ? t('connection.cancel') : t('serial.close');
    return <Button type="submit" variant={status.phase === 'open' ? 'danger' : 'secondary'} icon={<StopIcon />} data-testid="link-button">{label}</Button>;
  }
  return <Button type="submit" variant="primary" icon={<PlugIcon />} data-testid="link-button">{t('serial.open')}</Button>;
}

function BindOption(props: { value: string; checked: boolean; title: string; hint: string; onPick(): void }) {
  return (
    <label className={`bind-option ${props.checked ? 'checked' : ''}`}>
      <input type="radio" name="bind" value={props.value} checked={props.checked} onChange={props.onPick} />
      <span className="bind-text">
        <span className="bind-title">
          {props.title} <code>{props.value}</code>
        </span>
        {props.checked && <span className="bind-hint">{props.hint}</span>}
      </span>
    </label>
  );
}
