/** The link's state, always visible in the header. */
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { describeStatus } from './statusText.ts';
import { LockBadge } from '../security/LockBadge.tsx';
import { linkLock } from '../security/linkLock.ts';

export function StatusPill() {
  const t = useT();
  const status = useApp((s) => s.status);
  const { tone, text } = describeStatus(status, t);
  const lock = linkLock(status);
  return (
    <>
      <div className={`status-pill tone-${tone}`} role="status" aria-live="polite" data-testid="link-status" data-state={status.state}>
        <span className="status-dot" />
        <span className="status-text">{text}</span>
      </div>
      {/* Beside the pill, not in it: the pill's text is the link state alone. */}
      {lock && <LockBadge lock={lock} t={t} testId="status-lock" />}
    </>
  );
}
