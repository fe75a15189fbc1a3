/** A sealed service message in the window: named by the inner TYPE the session opened, the bytes as on the wire. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FileTransferType } from '../../../shared/msp/file-transfer.ts';
import { PacketType } from '../../../shared/msp/index.ts';
import { typeLabel } from '../../../renderer/src/features/log/cells.ts';
import { makeRecord } from '../../../renderer/src/features/log/logRecord.ts';
import { TypeBadge } from '../../../renderer/src/features/log/TypeBadge.tsx';
import { fieldRows } from '../../../renderer/src/features/inspector/fieldRows.ts';
import { layoutFrame } from '../../../renderer/src/features/inspector/frameLayout.ts';
import { translate, type Translate } from '../../../renderer/src/i18n/translate.ts';
import { packetEntry } from '../../helpers/entries.ts';

const t: Translate = (key, params) => translate('en', key, params);

describe('a sealed service message in the log and the inspector', () => {
  const chunk = packetEntry('in', PacketType.SEALED_SERVICE, 'ciphertext', { lock: 'v3', innerType: FileTransferType.CHUNK });

  it('the TYPE cell and the field table name the inner TYPE', () => {
    const record = makeRecord(1, chunk);
    expect(typeLabel(record, t)).toBe('SEALED_SERVICE › FT_CHUNK');
    const type = fieldRows(chunk.raw, layoutFrame(chunk.raw), t, undefined, chunk.innerType).find((r) => r.name === 'type');
    expect(type).toMatchObject({ bytes: '36', value: 'SEALED_SERVICE › FT_CHUNK' });
  });

  it('the badge keeps the inner TYPE in its own part (it stays visible when the cell is narrow), the whole name as its tooltip', () => {
    const html = renderToStaticMarkup(<TypeBadge record={makeRecord(1, chunk)} t={t} />);
    expect(html).toBe(
      '<span class="type-badge cat-other has-inner" title="SEALED_SERVICE › FT_CHUNK" data-inner-type="FT_CHUNK"><span class="type-wire">SEALED_SERVICE</span><span class="type-inner"> › FT_CHUNK</span></span>',
    );
  });

  it('without the inner TYPE (an imported capture: nothing to open it with) it is named as the wire shows it', () => {
    const imported = packetEntry('in', PacketType.SEALED_SERVICE, 'ciphertext');
    expect(typeLabel(makeRecord(1, imported), t)).toBe('SEALED_SERVICE');
    expect(renderToStaticMarkup(<TypeBadge record={makeRecord(1, imported)} t={t} />)).toBe('<span class="type-badge cat-other">SEALED_SERVICE</span>');
  });
});
