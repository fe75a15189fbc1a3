/**
 * The serial form: the port (typed or picked from the list), a preset, the line
 * settings (what this platform cannot set is greyed out), the role, gentle sending and
 * reopening. Shown in the connection panel's Serial mode while no port is open.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { hasMessage, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { matchingPreset, serialSecurityMode } from '../../store/serialSlice.ts';
import { SecurityFields } from '../security/SecurityFields.tsx';
import { Segmented, Switch } from '../../ui/controls.tsx';
import { LineSettingsFields } from './LineSettingsFields.tsx';
import { SerialPortList } from './SerialPortList.tsx';
import './serial.css';

export function SerialSettings() {
  const t = useT();
  const { draft, options } = useApp(useShallow((s) => ({ draft: s.serialDraft, options: s.serialOptions })));
  const { setDraft, applyPreset, loadOptions, refresh, setLine } = useApp(
    useShallow((s) => ({
      setDraft: s.setSerialDraft,
      applyPreset: s.applySerialPreset,
      loadOptions: s.loadSerialOptions,
      refresh: s.refreshSerialPorts,
      setLine: s.setSerialLine,
    })),
  );
  useEffect(() => {
    void loadOptions();
    void refresh();
  }, [loadOptions, refresh]);

  const presets = options?.presets ?? [];
  const preset = matchingPreset(draft, presets);
  const presetName = (id: string, fallback: string) => (hasMessage(`serial.preset.${id}`) ? t(`serial.preset.${id}` as never) : fallback);

  return (
    <div className="serial-settings" data-testid="serial-settings">
      <label className="field">
        <span className="field-label">{t('serial.port')}</span>
        <input
          value={draft.path}
          spellCheck={false}
          autoComplete="off"
          placeholder={t('serial.pathPlaceholder')}
          data-testid="serial-path"
          onChange={(e) => setDraft({ path: e.target.value })}
        />
      </label>
      <SerialPortList />

      <label className="field">
        <span className="field-label">{t('serial.preset')}</span>
        <select
          value={preset?.id ?? ''}
          data-testid="serial-preset"
          title={preset?.description}
          onChange={(e) => {
            const chosen = presets.find((p) => p.id === e.target.value);
            if (chosen) applyPreset(chosen);
          }}
        >
          <option value="" disabled>{t('serial.presetCustom')}</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id} title={p.description}>{presetName(p.id, p.name)}</option>
          ))}
        </select>
      </label>

      <LineSettingsFields line={draft} onChange={setDraft} options={options} testIdPrefix="serial">
        <label className="field">
          <span className="field-label">{t('serial.packetGap')}</span>
          <input value={draft.packetGapText} inputMode="numeric" data-testid="serial-packet-gap" onChange={(e) => setDraft({ packetGapText: e.target.value })} />
        </label>
        <label className="field">
          <span className="field-label">{t('serial.maxPacket')}</span>
          <input value={draft.maxPacketText} inputMode="numeric" data-testid="serial-max-packet" onChange={(e) => setDraft({ maxPacketText: e.target.value })} />
        </label>
      </LineSettingsFields>

      <div className="field">
        <span className="field-label">{t('serial.role')}</span>
        <Segmented
          label={t('serial.role')}
          value={draft.role}
          size="sm"
          testId="serial-role"
          options={[
            { value: 'sender', label: t('serial.role.sender'), title: t('serial.role.senderHint') },
            { value: 'responder', label: t('serial.role.responder'), title: t('serial.role.responderHint') },
          ]}
          onChange={(role) => setDraft({ role })}
        />
        <span className="serial-hint">{t(draft.role === 'responder' ? 'serial.role.responderHint' : 'serial.role.senderHint')}</span>
      </div>

      <SecurityFields mode={serialSecurityMode(draft.role)} noTls />
      <span className="serial-hint">{t('serial.securityHint')}</span>

      <div className="serial-switches">
        <Switch label={t('serial.dtr')} checked={draft.dtr} testId="serial-dtr" onChange={(on) => void setLine('dtr', on)} />
        {draft.flowControl === 'rts-cts' ? (
          <span className="serial-hint">{t('serial.rtsByFlow')}</span>
        ) : (
          <Switch label={t('serial.rts')} checked={draft.rts} testId="serial-rts" onChange={(on) => void setLine('rts', on)} />
        )}
        <Switch label={t('serial.reopen')} title={t('serial.reopenHint')} checked={draft.reopen} testId="serial-reopen" onChange={(reopen) => setDraft({ reopen })} />
      </div>
    </div>
  );
}
