/**
 * Offset, hex and ASCII, sixteen bytes a row (or `perRow`), each byte coloured by its field.
 * Hovering a byte highlights every byte of its field (and its row in the field table).
 */
import { memo } from 'react';
import { hexByte, hexDigits } from '../../../../shared/msp/index.ts';
import type { FrameLayout } from './frameLayout.ts';
import { fieldIndexByByte } from './frameLayout.ts';

export const HEX_DUMP_LIMIT = 4096;
const PER_ROW = 16;

interface HexDumpProps {
  bytes: Uint8Array;
  layout: FrameLayout;
  /** The field under the pointer, here or in the field table. */
  hoveredField: number | null;
  onHoverField(index: number | null): void;
  /** Bytes a row: 16, or 8 where the dump shares its pane (the decrypted payload). */
  perRow?: number;
}

export const HexDump = memo(function HexDump({ bytes, layout, hoveredField, onHoverField, perRow = PER_ROW }: HexDumpProps) {
  const shown = bytes.subarray(0, HEX_DUMP_LIMIT);
  const fieldOf = fieldIndexByByte(layout, shown.length);
  const rows: number[] = [];
  for (let offset = 0; offset < shown.length; offset += perRow) rows.push(offset);

  const cellClass = (i: number) => {
    const field = fieldOf[i];
    const name = field >= 0 ? layout.fields[field].name : 'junk';
    const bad = (name === 'crc' && layout.crc && !layout.crc.ok) || name === 'extra';
    return `f-${name}${bad ? ' f-bad' : ''}${field === hoveredField && field >= 0 ? ' hot' : ''}`;
  };

  return (
    <div className={`hexdump per-row-${perRow}`} data-testid="hexdump" onMouseLeave={() => onHoverField(null)}>
      {rows.map((offset) => {
        const row = shown.subarray(offset, offset + perRow);
        return (
          <div className="hex-row" key={offset}>
            <span className="hex-offset">{hexDigits(offset, 4)}</span>
            <span className="hex-bytes">
              {Array.from(row, (b, j) => (
                <span key={j} className={`hex-byte ${cellClass(offset + j)}`} data-field={fieldOf[offset + j]} onMouseEnter={() => onHoverField(fieldOf[offset + j])}>
                  {hexByte(b)}
                </span>
              ))}
            </span>
            <span className="hex-ascii">
              {Array.from(row, (b, j) => (
                <span key={j} className={`hex-char ${cellClass(offset + j)}`} onMouseEnter={() => onHoverField(fieldOf[offset + j])}>
                  {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·'}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
});
