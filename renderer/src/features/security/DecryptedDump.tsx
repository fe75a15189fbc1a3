/**
 * An encrypted packet's two views side by side: the wire bytes (ciphertext, in the usual
 * hex dump on the left, coloured by field) and, on the right above the field table, the
 * payload they decrypt to.
 */
import type { LogEntry } from '../../../../shared/ipc/types.ts';
import { useT } from '../../i18n/index.ts';
import type { FrameLayout } from '../inspector/frameLayout.ts';
import { HexDump } from '../inspector/HexDump.tsx';
import { LockBadge } from './LockBadge.tsx';

/** Encrypted on the wire, and we hold its plaintext: v3 sealed packets and msp-secure.py's DATA. */
export function isDecrypted(entry: LogEntry): entry is LogEntry & { plaintext: Uint8Array } {
  return entry.plaintext !== undefined && (entry.lock === 'v3' || entry.lock === 'legacy-weak');
}

export function WireDumpTitle({ entry }: { entry: LogEntry }) {
  const t = useT();
  return (
    <h3 className="dump-title">
      {entry.lock && <LockBadge lock={entry.lock} t={t} />}
      {t('inspector.wire')}
    </h3>
  );
}

export function PlaintextDump({ plaintext }: { plaintext: Uint8Array }) {
  const t = useT();
  const layout: FrameLayout = { fields: [{ name: 'payload', start: 0, end: plaintext.length }], problems: [] };
  return (
    <section className="plaintext-dump" data-testid="plaintext-dump">
      <h3 className="dump-title">{t('inspector.decrypted')}</h3>
      <HexDump bytes={plaintext} layout={layout} hoveredField={null} onHoverField={() => {}} perRow={8} />
    </section>
  );
}
