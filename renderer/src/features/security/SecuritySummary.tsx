/** While a link is open: how it is protected, and a TLS server's fingerprint to copy. */
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { CopyIcon } from '../../ui/icons.tsx';
import { LockBadge } from './LockBadge.tsx';
import { linkLock } from './linkLock.ts';
import './security.css';

export function SecuritySummary() {
  const t = useT();
  const status = useApp((s) => s.status);
  const copyText = useApp((s) => s.copyText);
  const lock = linkLock(status);
  if (!lock) return null;
  const security = status.state === 'listening' || status.state === 'serial' ? status.security : undefined;
  const demands = status.state === 'listening' || (status.state === 'serial' && status.role === 'responder');
  return (
    <div className="security-summary" data-testid="security-summary">
      <div className="summary-line">
        <span className="field-label">{t('security.summary')}</span>
        <LockBadge lock={lock} t={t} testId="summary-lock" />
        {demands && (
          <span className="summary-note">
            {[
              security?.password ? (security.allowLegacy ? t('security.summaryServerLegacy') : t('security.summaryServerPassword')) : t('security.summaryNoPassword'),
              security?.tlsFingerprint ? 'TLS 1.3' : undefined,
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        )}
      </div>
      {security?.tlsFingerprint && (
        <div className="fingerprint-box">
          <span className="field-label">{t('security.serverFingerprint')}</span>
          <code className="fingerprint" data-testid="tls-fingerprint">{security.tlsFingerprint}</code>
          <Button
            size="sm"
            variant="ghost"
            icon={<CopyIcon />}
            data-testid="copy-fingerprint"
            onClick={() => void copyText(security.tlsFingerprint!, t('security.fingerprintCopied'))}
          >
            {t('security.copyFingerprint')}
          </Button>
        </div>
      )}
    </div>
  );
}
