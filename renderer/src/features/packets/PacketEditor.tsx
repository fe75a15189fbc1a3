/** The editor of one saved packet: name, folder, format, content with its fields, TYPE, VERSION, shortcut; the wire bytes it makes. */
import { useMemo } from 'react';
import { resolveTemplate } from '../../../../shared/automation/template.ts';
import { SHORTCUT_KEYS } from '../../../../shared/automation/packets.ts';
import { toHex, tryEncodePacket } from '../../../../shared/msp/index.ts';
import { useT } from '../../i18n/index.ts';
import { appStore, useApp } from '../../store/appStore.ts';
import { packetFromDraft, type PacketDraft } from '../../store/packetsSlice.ts';
import { Button, Segmented } from '../../ui/controls.tsx';

/** Preview bytes stop here: a 64 KiB packet would be a wall of hex. */
const PREVIEW_BYTES = 64;

/** What the draft would put on the wire at its first send (random bytes shown as 00), or why it cannot. */
function preview(draft: PacketDraft): string {
  const packet = packetFromDraft(draft, 'preview');
  if ('code' in packet) return packet.message;
  const bytes = resolveTemplate(packet.format, packet.body, { counter: 1, nowMs: Date.now(), random: (n) => new Uint8Array(n) });
  if (!bytes.ok) return bytes.error.message;
  const wire = packet.format === 'raw' ? { ok: true as const, value: bytes.value } : tryEncodePacket({ version: packet.version, type: packet.type, payload: bytes.value });
  if (!wire.ok) return wire.error.message;
  const shown = toHex(wire.value.subarray(0, PREVIEW_BYTES));
  return wire.value.length > PREVIEW_BYTES ? `${shown} … (${wire.value.length} bytes)` : shown;
}

export function PacketEditor() {
  const t = useT();
  const draft = useApp((s) => s.packetDraft)!;
  const folders = useApp((s) => [...new Set(s.library.packets.map((p) => p.folder).filter(Boolean))].join('\n'));
  const { setPacketDraft, savePacketDraft, cancelPacketDraft } = appStore.getState();
  const wire = useMemo(() => preview(draft), [draft]);
  const framed = draft.format !== 'raw';
  return (
    <form
      className="packet-editor"
      data-testid="packet-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void savePacketDraft();
      }}
    >
      <h3 className="packet-folder-name">{t(draft.editing ? 'packets.editor.edit' : 'packets.editor.new')}</h3>
      <label className="field">
        <span className="field-label">{t('packets.field.name')}</span>
        <input value={draft.name} maxLength={100} required onChange={(e) => setPacketDraft({ name: e.target.value })} data-testid="packet-name" />
      </label>
      <label className="field">
        <span className="field-label">{t('packets.field.folder')}</span>
        <input value={draft.folder} maxLength={100} list="packet-folders" onChange={(e) => setPacketDraft({ folder: e.target.value })} data-testid="packet-folder" />
        <datalist id="packet-folders">
          {folders.split('\n').filter(Boolean).map((f) => <option key={f} value={f} />)}
        </datalist>
      </label>
      <Segmented
        label={t('packets.field.format')}
        size="sm"
        value={draft.format}
        options={(['text', 'hex', 'raw'] as const).map((value) => ({ value, label: t(`packets.format.${value}`) }))}
        onChange={(format) => setPacketDraft({ format })}
        testId="packet-format"
      />
      <label className="field">
        <span className="field-label">{t('packets.field.body')}</span>
        <textarea className="packet-body" rows={3} value={draft.body} onChange={(e) => setPacketDraft({ body: e.target.value })} data-testid="packet-body" spellCheck={false} />
        <span className="muted small">{t('packets.field.bodyHint')}</span>
      </label>
      <div className="field-row">
        <label className="field">
          <span className="field-label">{t('packets.field.type')}</span>
          <input value={draft.type} disabled={!framed} maxLength={2} onChange={(e) => setPacketDraft({ type: e.target.value })} data-testid="packet-type" />
        </label>
        <label className="field">
          <span className="field-label">{t('packets.field.version')}</span>
          <input value={draft.version} disabled={!framed} maxLength={3} inputMode="numeric" onChange={(e) => setPacketDraft({ version: e.target.value })} data-testid="packet-version" />
        </label>
        <label className="field">
          <span className="field-label">{t('packets.field.key')}</span>
          <select value={draft.key} onChange={(e) => setPacketDraft({ key: e.target.value })} data-testid="packet-key">
            <option value="">{t('packets.key.none')}</option>
            {Array.from({ length: SHORTCUT_KEYS.max - SHORTCUT_KEYS.min + 1 }, (_, i) => String(SHORTCUT_KEYS.min + i)).map((k) => (
              <option key={k} value={k}>{t('packets.shortcut', { key: k })}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="field">
        <span className="field-label">{t('packets.preview')}</span>
        <code className="packet-preview" data-testid="packet-preview">{wire}</code>
      </div>
      <div className="packet-editor-buttons">
        <Button variant="ghost" onClick={cancelPacketDraft}>{t('packets.cancel')}</Button>
        <button type="submit" className="btn btn-primary btn-md" data-testid="packet-save"><span>{t('packets.save')}</span></button>
      </div>
    </form>
  );
}
