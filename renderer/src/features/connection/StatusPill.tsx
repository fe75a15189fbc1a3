/** The link's state, always visible in the header. */
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { describeStatus } from './statusText.ts';

export function StatusPill() {
  const t = useT();
  const status = useApp((s) => s.status);
  const { tone, text } = describeStatus(status, t);
  return (
    <div className={`status-pill tone-${tone}`} role="status" aria-live="polite" data-testid="link-status" data-state={status.state}>
      <span className="status-dot" />
      <span className="status-text">{text}</span>
    </div>
  );
}
