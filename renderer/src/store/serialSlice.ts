/** The serial form being edited, the ports found, what this computer can set, and opening a port. */
import type { MspApi } from '../../../shared/ipc/api.ts';
import { BAUD_RATE_RANGE, PACKET_GAP_MS_RANGE, SERIAL_PACKET_SIZE_RANGE, type Range } from '../../../shared/limits.ts';
import type { AppError } from '../../../shared/result.ts';
import {
  DEFAULT_SERIAL_SETTINGS,
  type SerialLine,
  type SerialOpenInput,
  type SerialOptions,
  type SerialPortEntry,
  type SerialPresetInfo,
  type SerialRole,
  type SerialSecurityInput,
  type SerialSettingsChoice,
} from '../../../shared/ipc/serial.ts';
import type { LineDraft } from './lineDraft.ts';
import type { TcpMode } from './linkSlice.ts';
import { clientSecurityRequest, serverSecurityRequest, type SecuritySlice } from './securitySlice.ts';
import type { Slice } from './types.ts';

export interface SerialDraft extends LineDraft {
  path: string;
  role: SerialRole;
  packetGapText: string;
  maxPacketText: string;
  reopen: boolean;
  dtr: boolean;
  rts: boolean;
}

export interface SerialSlice {
  serialDraft: SerialDraft;
  serialOptions: SerialOptions | null;
  /** null until the first listing. */
  serialPorts: SerialPortEntry[] | null;
  serialPortsError: AppError | null;
  serialListing: boolean;
  setSerialDraft(patch: Partial<SerialDraft>): void;
  applySerialPreset(preset: SerialPresetInfo): void;
  loadSerialOptions(): Promise<void>;
  refreshSerialPorts(): Promise<void>;
  openSerial(): Promise<void>;
  /** Switches DTR or RTS: on the open port at once, otherwise when it opens. */
  setSerialLine(line: 'dtr' | 'rts', on: boolean): Promise<void>;
}

export function serialDraftFromSettings(s: SerialSettingsChoice, standardRates: readonly number[] = []): SerialDraft {
  return {
    path: s.path,
    baudText: String(s.baudRate),
    baudCustom: standardRates.length > 0 && !standardRates.includes(s.baudRate),
    dataBits: s.dataBits,
    parity: s.parity,
    stopBits: s.stopBits,
    flowControl: s.flowControl,
    role: s.role,
    packetGapText: String(s.packetGapMs),
    maxPacketText: String(s.maxPacketSize),
    reopen: s.reopen,
    dtr: s.dtr,
    rts: s.rts,
  };
}

function wholeNumber(text: string, range: Range): number | undefined {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= range.min && value <= range.max ? value : undefined;
}

const uiError = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

/** The draft as a `serial.open` request and what settings.json keeps of it, or what is wrong with it. */
export function serialRequestFromDraft(
  draft: SerialDraft,
): { ok: true; request: SerialOpenInput; settings: SerialSettingsChoice } | { ok: false; error: AppError } {
  const path = draft.path.trim();
  if (path === '') return uiError('UI_ERR_NO_SERIAL_PATH', 'Choose a port from the list or type its path.');
  const baudRate = wholeNumber(draft.baudText, BAUD_RATE_RANGE);
  if (baudRate === undefined) return uiError('UI_ERR_BAD_BAUD', 'The baud rate must be a whole number from 50 to 4,000,000.');
  const packetGapMs = wholeNumber(draft.packetGapText, PACKET_GAP_MS_RANGE);
  if (packetGapMs === undefined) return uiError('UI_ERR_BAD_PACKET_GAP', 'The pause must be a whole number of milliseconds from 0 to 10,000.');
  const maxPacketSize = wholeNumber(draft.maxPacketText, SERIAL_PACKET_SIZE_RANGE);
  if (maxPacketSize === undefined) return uiError('UI_ERR_BAD_MAX_PACKET', 'The largest packet must be from 7 to 65,535 bytes.');
  const { dataBits, parity, stopBits, flowControl, role, reopen, dtr, rts } = draft;
  const settings: SerialSettingsChoice = { path, baudRate, dataBits, parity, stopBits, flowControl, role, packetGapMs, maxPacketSize, reopen, dtr, rts };
  const request: SerialOpenInput = {
    path,
    baudRate,
    dataBits,
    parity,
    stopBits,
    flowControl,
    role,
    packetGapMs,
    maxPacketSize,
    reopen,
    // Only a line switched off is driven: a pty has no modem lines, and "on" is the OS default anyway.
    ...(dtr ? {} : { dtr: false }),
    ...(rts || flowControl === 'rts-cts' ? {} : { rts: false }),
  };
  return { ok: true, request, settings };
}

/** A sender's password works as a TCP client's, a responder's as a TCP server's (drafts and remembered ones). */
export function serialSecurityMode(role: SerialRole): TcpMode {
  return role === 'sender' ? 'client' : 'server';
}

/** The port's security for `serial.open` from the panel's drafts (never TLS); undefined without a password. */
export function serialSecurityRequest(
  role: SerialRole,
  state: Pick<SecuritySlice, 'clientSecurity' | 'serverSecurity' | 'secrets'>,
): SerialSecurityInput | undefined {
  if (role === 'sender') {
    const client = clientSecurityRequest({ ...state.clientSecurity, tls: false }, state.secrets);
    return client && { password: client.password, scheme: client.scheme };
  }
  const server = serverSecurityRequest({ ...state.serverSecurity, tls: false }, state.secrets);
  return server?.password && { password: server.password, allowLegacy: server.allowLegacy };
}

/** The preset whose settings the draft has now, if any (editing a field leaves the preset). */
export function matchingPreset(draft: SerialDraft, presets: readonly SerialPresetInfo[]): SerialPresetInfo | undefined {
  return presets.find(
    (p) =>
      String(p.line.baudRate) === draft.baudText.trim() &&
      p.line.dataBits === draft.dataBits &&
      p.line.parity === draft.parity &&
      p.line.stopBits === draft.stopBits &&
      p.line.flowControl === draft.flowControl &&
      String(p.packetGapMs) === draft.packetGapText.trim() &&
      String(p.maxPacketSize) === draft.maxPacketText.trim(),
  );
}

export const createSerialSlice =
  (api: MspApi): Slice<SerialSlice> =>
  (set, get) => ({
    serialDraft: serialDraftFromSettings(DEFAULT_SERIAL_SETTINGS),
    serialOptions: null,
    serialPorts: null,
    serialPortsError: null,
    serialListing: false,

    setSerialDraft(patch) {
      set({ serialDraft: { ...get().serialDraft, ...patch }, linkRequestError: null });
    },

    applySerialPreset(preset) {
      const rates = get().serialOptions?.standardBaudRates ?? [];
      get().setSerialDraft({
        ...preset.line,
        baudText: String(preset.line.baudRate),
        baudCustom: rates.length > 0 && !rates.includes(preset.line.baudRate),
        packetGapText: String(preset.packetGapMs),
        maxPacketText: String(preset.maxPacketSize),
      });
    },

    async loadSerialOptions() {
      const result = await api.serial.options();
      if (!result.ok) return;
      const rates = result.value.standardBaudRates;
      const baud = Number(get().serialDraft.baudText);
      set({ serialOptions: result.value, serialDraft: { ...get().serialDraft, baudCustom: !rates.includes(baud) } });
    },

    async refreshSerialPorts() {
      set({ serialListing: true });
      const result = await api.serial.listPorts();
      set(result.ok ? { serialPorts: result.value, serialPortsError: null, serialListing: false } : { serialPorts: [], serialPortsError: result.error, serialListing: false });
    },

    async openSerial() {
      const parsed = serialRequestFromDraft(get().serialDraft);
      if (!parsed.ok) {
        set({ linkRequestError: parsed.error });
        return;
      }
      set({ linkRequestError: null });
      void api.settings.save({ mode: 'serial', serial: parsed.settings });
      const security = serialSecurityRequest(parsed.request.role, get());
      const result = await api.serial.open({ ...parsed.request, ...(security ? { security } : {}) });
      if (result.ok && security) get().notePasswordUsed(serialSecurityMode(parsed.request.role));
      // Link errors (not found, busy, permission...) arrive as the status; anything else is shown here.
      if (!result.ok && !result.error.code.startsWith('LINK_ERR_')) set({ linkRequestError: result.error });
    },

    async setSerialLine(line, on) {
      get().setSerialDraft({ [line]: on });
      if (get().status.state !== 'serial') return;
      const result = await api.serial.setSignals({ [line]: on });
      if (!result.ok) {
        get().setSerialDraft({ [line]: !on });
        set({ linkRequestError: result.error });
      }
    },
  });
