/**
 * The security part of the connection form: a password (typed, or the remembered one),
 * remember it or not, the scheme (a client) or accepting msp-secure.py clients (a server),
 * and TLS. MSP v3 is the default; the weak scheme only when picked by name.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import type { TcpMode } from '../../store/linkSlice.ts';
import { hasPassword } from '../../store/securitySlice.ts';
import { Button } from '../../ui/controls.tsx';
import './security.css';

/** `noTls`: a serial port (its sender is client-like, its responder server-like) has no TLS to offer. */
export function SecurityFields({ mode, noTls = false }: { mode: TcpMode; noTls?: boolean }) {
  const t = useT();
  const state = useApp(useShallow((s) => ({ client: s.clientSecurity, server: s.serverSecurity, secrets: s.secrets })));
  const { setClientSecurity, setServerSecurity } = useApp(
    useShallow((s) => ({ setClientSecurity: s.setClientSecurity, setServerSecurity: s.setServerSecurity })),
  );
  const withPassword = hasPassword(mode, { clientSecurity: state.client, serverSecurity: state.server, secrets: state.secrets });
  const draft = mode === 'client' ? state.client : state.server;
  const setPasswordDraft = mode === 'client' ? setClientSecurity : setServerSecurity;

  return (
    <fieldset className="security-fields" data-testid="security-fields">
      <legend className="field-label">{t('security.title')}</legend>
      <PasswordField
        mode={mode}
        value={draft.password}
        remember={draft.remember}
        onChange={(password) => setPasswordDraft({ password })}
        onRemember={(remember) => setPasswordDraft({ remember })}
      />
      {mode === 'client' && withPassword && (
        <div className="scheme-choice" role="radiogroup" aria-label={t('security.scheme')}>
          <SchemeOption checked={state.client.scheme === 'v3'} title={t('security.schemeV3')} hint={t('security.schemeV3Hint')} testId="scheme-v3" onPick={() => setClientSecurity({ scheme: 'v3' })} />
          <SchemeOption checked={state.client.scheme === 'legacy'} weak title={t('security.schemeLegacy')} hint={t('security.schemeLegacyHint')} testId="scheme-legacy" onPick={() => setClientSecurity({ scheme: 'legacy' })} />
        </div>
      )}
      {mode === 'server' && withPassword && (
        <Check checked={state.server.allowLegacy} label={t('security.allowLegacy')} hint={t('security.allowLegacyHint')} testId="allow-legacy" onChange={(allowLegacy) => setServerSecurity({ allowLegacy })} />
      )}
      {noTls ? null : mode === 'client' ? (
        <>
          <Check checked={state.client.tls} label={t('security.tls')} hint={state.client.tls ? t('security.tlsClientHint') : undefined} testId="tls" onChange={(tls) => setClientSecurity({ tls })} />
          {state.client.tls && (
            <label className="field">
              <span className="field-label">{t('security.fingerprint')}</span>
              <input
                className="mono-input"
                value={state.client.fingerprint}
                placeholder={t('security.fingerprintPlaceholder')}
                spellCheck={false}
                autoComplete="off"
                data-testid="tls-pin"
                onChange={(e) => setClientSecurity({ fingerprint: e.target.value })}
              />
            </label>
          )}
        </>
      ) : (
        <Check checked={state.server.tls} label={t('security.tls')} hint={state.server.tls ? t('security.tlsServerHint') : undefined} testId="tls" onChange={(tls) => setServerSecurity({ tls })} />
      )}
    </fieldset>
  );
}

function PasswordField(props: { mode: TcpMode; value: string; remember: boolean; onChange(value: string): void; onRemember(on: boolean): void }) {
  const t = useT();
  const [shown, setShown] = useState(false);
  const { secrets, forgetPassword } = useApp(useShallow((s) => ({ secrets: s.secrets, forgetPassword: s.forgetPassword })));
  const remembered = secrets.remembered[props.mode];
  return (
    <div className="password-field">
      <label className="field">
        <span className="field-label">{t('security.password')}</span>
        <span className="password-row">
          <input
            type={shown ? 'text' : 'password'}
            value={props.value}
            placeholder={remembered ? t('security.passwordRemembered') : t('security.passwordNone')}
            autoComplete="off"
            spellCheck={false}
            data-testid="password"
            onChange={(e) => props.onChange(e.target.value)}
          />
          <Button size="sm" variant="ghost" onClick={() => setShown(!shown)} aria-pressed={shown} data-testid="password-show">
            {shown ? t('security.hide') : t('security.show')}
          </Button>
        </span>
      </label>
      {secrets.available ? (
        <div className="remember-row">
          <Check checked={props.remember} label={t('security.remember')} testId="remember" title={t('security.rememberHint')} onChange={props.onRemember} />
          {remembered && (
            <Button size="sm" variant="ghost" onClick={() => void forgetPassword(props.mode)} data-testid="forget-password">
              {t('security.forget')}
            </Button>
          )}
        </div>
      ) : (
        props.value !== '' && <p className="field-note">{t('security.rememberUnavailable')}</p>
      )}
    </div>
  );
}

function SchemeOption(props: { checked: boolean; weak?: boolean; title: string; hint: string; testId: string; onPick(): void }) {
  return (
    <label className={`scheme-option ${props.checked ? 'checked' : ''} ${props.weak ? 'weak' : ''}`} data-testid={props.testId}>
      <input type="radio" name="scheme" checked={props.checked} onChange={props.onPick} />
      <span className="scheme-text">
        <span className="scheme-title">{props.title}</span>
        {props.checked && <span className="scheme-hint">{props.hint}</span>}
      </span>
    </label>
  );
}

function Check(props: { checked: boolean; label: string; hint?: string; title?: string; testId: string; onChange(on: boolean): void }) {
  return (
    <label className="check" title={props.title}>
      <input type="checkbox" checked={props.checked} data-testid={props.testId} onChange={(e) => props.onChange(e.target.checked)} />
      <span className="check-text">
        <span>{props.label}</span>
        {props.hint && <span className="check-hint">{props.hint}</span>}
      </span>
    </label>
  );
}
