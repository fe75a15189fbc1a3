/** A lock and what protects the link or the packet, with a tooltip that says what that means. */
import type { SecurityLock } from '../../../../shared/ipc/security.ts';
import type { Translate } from '../../i18n/index.ts';

export function LockIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="12" height="12" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d={open ? 'M8 11V7a4 4 0 0 1 7.5-2' : 'M8 11V7a4 4 0 0 1 8 0v4'} />
    </svg>
  );
}

/** `compact`: the icon only (log rows); the label is in the tooltip and for screen readers. */
export function LockBadge({ lock, t, compact = false, testId }: { lock: SecurityLock; t: Translate; compact?: boolean; testId?: string }) {
  const label = t(`lock.${lock}`);
  const tip = `${label}: ${t(`lock.tip.${lock}`)}`;
  return (
    <span className={`lock-badge lock-${lock} ${compact ? 'compact' : ''}`} title={tip} aria-label={tip} data-testid={testId} data-lock={lock}>
      <LockIcon open={lock === 'none'} />
      {!compact && <span className="lock-label">{label}</span>}
    </span>
  );
}
