/**
 * The Packets tool: saved packets grouped in folders (one per device), each sent with one
 * click or its Ctrl+digit shortcut; new, edit, delete; import and export as JSON; and the
 * sequences that came with the library, run step by step.
 */
import { useEffect, useRef } from 'react';
import { serializeLibrary, type SavedPacket } from '../../../../shared/automation/packets.ts';
import { PacketType, hexByte } from '../../../../shared/msp/index.ts';
import { errorText, useT } from '../../i18n/index.ts';
import { appStore, useApp } from '../../store/appStore.ts';
import { Button, Panel } from '../../ui/controls.tsx';
import { DownloadIcon, PencilIcon, SendIcon, TrashIcon } from '../../ui/icons.tsx';
import { saveFile } from '../log/saveFile.ts';
import { PacketEditor } from './PacketEditor.tsx';
import { SequenceList } from './SequenceList.tsx';
import './packets.css';

/** The library's packets by folder, folders in name order, "no folder" first. */
export function groupByFolder(packets: readonly SavedPacket[]): Array<[string, SavedPacket[]]> {
  const groups = new Map<string, SavedPacket[]>();
  for (const packet of packets) groups.set(packet.folder, [...(groups.get(packet.folder) ?? []), packet]);
  return [...groups.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
}

export function PacketsPanel() {
  const t = useT();
  const library = useApp((s) => s.library);
  const loaded = useApp((s) => s.packetsLoaded);
  const error = useApp((s) => s.packetsError);
  const draft = useApp((s) => s.packetDraft);
  const { loadPackets, sendSaved, editPacket, deletePacket, importPackets } = appStore.getState();
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!loaded) void loadPackets();
  }, [loaded, loadPackets]);

  const exportLibrary = () => {
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
    saveFile(`msp-packets-${stamp}.json`, 'application/json', serializeLibrary(library));
  };

  const toolbar = (
    <div className="packets-toolbar">
      <Button size="sm" variant="ghost" onClick={() => editPacket()} data-testid="packets-new">{t('packets.new')}</Button>
      <Button size="sm" variant="ghost" onClick={() => fileInput.current?.click()} data-testid="packets-import">{t('packets.import')}</Button>
      <Button size="sm" variant="ghost" icon={<DownloadIcon />} onClick={exportLibrary} data-testid="packets-export">{t('packets.export')}</Button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="packets-import-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importPackets(file);
        }}
      />
    </div>
  );

  return (
    <>
      <Panel title={t('packets.title')} testId="packets-panel">
        {toolbar}
        {error && (
          <p className="packets-error" role="alert" data-testid="packets-error">{errorText(t, error)}</p>
        )}
        {draft ? (
          <PacketEditor />
        ) : library.packets.length === 0 ? (
          <p className="muted small">{t('packets.empty')}</p>
        ) : (
          groupByFolder(library.packets).map(([folder, packets]) => (
            <section className="packet-folder" key={folder} aria-label={folder || t('packets.noFolder')}>
              <h3 className="packet-folder-name">{folder || t('packets.noFolder')}</h3>
              <ul className="packet-list">
                {packets.map((packet) => (
                  <li className="packet-row" key={packet.id} data-testid={`packet-${packet.id}`}>
                    <Button
                      size="sm"
                      variant="secondary"
                      className="packet-send"
                      icon={<SendIcon />}
                      title={t('packets.send', { name: packet.name })}
                      aria-label={t('packets.send', { name: packet.name })}
                      onClick={() => void sendSaved(packet.id)}
                      data-testid={`packet-send-${packet.id}`}
                    >
                      {packet.name}
                    </Button>
                    {packet.key !== undefined && <kbd className="packet-key">{t('packets.shortcut', { key: packet.key })}</kbd>}
                    {(packet.format === 'raw' || packet.type !== PacketType.DATA) && (
                      <span className="packet-kind muted small">{packet.format === 'raw' ? 'RAW' : `0x${hexByte(packet.type)}`}</span>
                    )}
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={<PencilIcon />}
                      onClick={() => editPacket(packet.id)}
                      aria-label={t('packets.edit', { name: packet.name })}
                      title={t('packets.edit', { name: packet.name })}
                      data-testid={`packet-edit-${packet.id}`}
                    />
                    <Button size="sm" variant="ghost" icon={<TrashIcon />} onClick={() => void deletePacket(packet.id)} aria-label={t('packets.delete', { name: packet.name })} title={t('packets.delete', { name: packet.name })} />
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
      </Panel>
      <SequenceList />
    </>
  );
}
