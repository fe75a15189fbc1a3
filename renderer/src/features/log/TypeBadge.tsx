/**
 * A packet's TYPE as a badge (log rows, the inspector's title). A sealed service message shows
 * both names, "SEALED_SERVICE › FT_CHUNK": when the cell is too narrow the wire name gives way
 * (ellipsis) and the inner one stays, since that is what says what the packet does.
 */
import type { Translate } from '../../i18n/index.ts';
import { INNER_TYPE_SEPARATOR } from '../../../../shared/msp/index.ts';
import { typeLabel, typeLabelParts } from './cells.ts';
import type { LogRecord } from './logRecord.ts';

export function TypeBadge({ record, t }: { record: LogRecord; t: Translate }) {
  const { wire, inner } = typeLabelParts(record, t);
  const className = `type-badge cat-${record.category}`;
  if (inner === undefined) return <span className={className}>{wire}</span>;
  return (
    <span className={`${className} has-inner`} title={typeLabel(record, t)} data-inner-type={inner}>
      <span className="type-wire">{wire}</span>
      <span className="type-inner">
        {INNER_TYPE_SEPARATOR}
        {inner}
      </span>
    </span>
  );
}
