/**
 * The exact bytes the send box will put on the wire, coloured by field, with LENGTH and
 * CRC filled in: a line of facts (and, for raw bytes, what a receiver will make of them),
 * then the bytes themselves.
 */
import type { ComposeResult } from '../../../../shared/send/compose.ts';
import { useT } from '../../i18n/index.ts';
import { hexByte } from '../../../../shared/msp/index.ts';
import { problemText } from '../inspector/fieldRows.ts';
import { fieldIndexByByte, layoutFrame, type FrameLayout } from '../inspector/frameLayout.ts';

/** Longer messages are previewed by their head and tail. */
const HEAD = 36;
const TAIL = 4;

export function WireFacts({ composed, input }: { composed: ComposeResult; input: string }) {
  const t = useT();
  if (!composed.ok) return null; // the input's error is shown instead
  if (input === '') return <p className="wire muted">{t('send.nothing')}</p>;
  const { wire } = composed.value;
  const layout = layoutFrame(wire);
  const framed = composed.value.kind === 'message';
  return (
    <div className="wire" data-testid="wire-preview">
      <span className="wire-label">{framed ? t('send.wire') : t('send.wireRaw')}</span>
      <span className="wire-facts">
        <span>{t('send.wireSize', { n: wire.length })}</span>
        {layout.declaredLength !== undefined && <span className="f-length-text">{t('send.wireLength', { n: layout.declaredLength })}</span>}
        {layout.crc && <span className={layout.crc.ok ? 'f-crc-text' : 'bad-text'}>{t('send.wireCrc', { crc: hexByte(layout.crc.actual) })}</span>}
      </span>
      {!framed && layout.problems.length > 0 && (
        <span className="wire-warning" data-testid="wire-warning">
          {problemText(layout.problems[0], t)}
        </span>
      )}
    </div>
  );
}

export function WireBytes({ composed, input }: { composed: ComposeResult; input: string }) {
  if (!composed.ok || input === '') return <div className="wire-line" />;
  const { wire } = composed.value;
  const layout = layoutFrame(wire);
  const fieldOf = fieldIndexByByte(layout, wire.length);
  const indexes =
    wire.length <= HEAD + TAIL ? [...wire.keys()] : [...Array(HEAD).keys(), -1, ...Array.from({ length: TAIL }, (_, i) => wire.length - TAIL + i)];
  return (
    <div className="wire-line wire-bytes" data-testid="wire-bytes">
      {indexes.map((i) =>
        i < 0 ? (
          <span key="gap" className="wire-gap">…</span>
        ) : (
          <span key={i} className={`hex-byte f-${layout.fields[fieldOf[i]]?.name ?? 'junk'}${isBad(layout, fieldOf[i]) ? ' f-bad' : ''}`}>
            {hexByte(wire[i])}
          </span>
        ),
      )}
    </div>
  );
}

function isBad(layout: FrameLayout, field: number): boolean {
  const name = layout.fields[field]?.name;
  return (name === 'crc' && layout.crc !== undefined && !layout.crc.ok) || name === 'extra';
}
