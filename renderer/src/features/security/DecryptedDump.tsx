/**
 * An encrypted packet's two views side by side: the wire bytes (ciphertext, in the usual
 * hex dump on the left, coloured by field) and, on the right above the field table, the
 * payload they decrypt to.
 */
import type { LogEntry } from '../../../../shared/ipc/types.ts';
import { packetTypeName } from '../../../../shared/msp/index.ts';
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

/** `innerType`: a sealed service message's TYPE (its plaintext here is that service's payload). */
export function PlaintextDump({ plaintext, innerType }: { plaintext: Uint8Array; innerType?: number }) {
  const t = useT();
  const layout: FrameLayout = { fields: [{ name: 'payload', start: 0, end: plaintext.length }], problems: [] };
  return (
    <section className="plaintext-dump" data-testid="plaintext-dump">
      <h3 className="dump-title">{innerType === undefined ? t('inspector.decrypted') : t('inspector.decryptedService', { type: packetTypeName(innerType) })}</h3>
      <HexDump bytes={plaintext} layout={layout} hoveredField={null} onHoverField={() => {}} perRow={8} />
    </section>
  );
}
