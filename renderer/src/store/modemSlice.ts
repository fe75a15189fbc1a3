/**
 * The X/Y/ZMODEM tool: the line (a serial port and its settings, or raw TCP), the protocol,
 * files chosen to send (read and handed to main only when Send is pressed), where received
 * files go, and the current run as main reports it (modem.update).
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import { MODEM_MAX_FILE_SIZE_LIMIT, type ModemLineRequest, type ModemRunView } from '../../../shared/ipc/modem.ts';
import { MAX_PENDING_UPLOADS } from '../../../shared/ipc/transfer.ts';
import { BAUD_RATE_RANGE, TCP_PORT_RANGE } from '../../../shared/limits.ts';
import type { ModemProtocol } from '../../../shared/modem/protocols.ts';
import type { AppError, Result } from '../../../shared/result.ts';
import { DEFAULT_LINE } from '../../../shared/serial/options.ts';
import { parseSize } from '../../../shared/size.ts';
import type { LineDraft } from './lineDraft.ts';
import type { Slice } from './types.ts';
import { uploadFile } from './uploadFile.ts';

export interface ModemDraft extends LineDraft {
  kind: 'serial' | 'tcp';
  path: string;
  host: string;
  /** Kept as typed, checked before use. */
  portText: string;
  protocol: ModemProtocol;
  direction: 'send' | 'receive';
  /** Receive: the folder ('' until main says the default), overwrite, the largest file ("1G", "500M"). */
  folder: string;
  overwrite: boolean;
  maxSizeText: string;
  /** XMODEM carries no name: what to save the received file as. */
  xmodemName: string;
}

export interface ModemSlice {
  modemDraft: ModemDraft;
  /** Files chosen to send, in order. */
  modemFiles: File[];
  modemRun: ModemRunView | null;
  /** Reading files and handing them to main, or waiting for the line to open. */
  modemStarting: boolean;
  modemError: AppError | null;
  loadModem(): Promise<void>;
  setModemDraft(patch: Partial<ModemDraft>): void;
  addModemFiles(files: File[]): void;
  removeModemFile(index: number): void;
  startModem(): Promise<void>;
  cancelModem(): Promise<void>;
  applyModemRun(run: ModemRunView): void;
}

const uiError = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

function wholeNumber(text: string, min: number, max: number): number | undefined {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= min && value <= max ? value : undefined;
}

/** The draft's line as a request, or what is wrong with it (said before anything is sent to main). */
export function modemLineFromDraft(draft: ModemDraft): Result<ModemLineRequest> {
  if (draft.kind === 'tcp') {
    if (draft.host.trim() === '') return uiError('UI_ERR_NO_HOST', 'Type the host to connect to.');
    const port = wholeNumber(draft.portText, 1, TCP_PORT_RANGE.max);
    if (port === undefined) return uiError('UI_ERR_BAD_PORT', 'The port must be a whole number from 1 to 65535.');
    return { ok: true, value: { kind: 'tcp', host: draft.host.trim(), port } };
  }
  const path = draft.path.trim();
  if (path === '') return uiError('UI_ERR_NO_SERIAL_PATH', 'Choose a port from the list or type its path.');
  const baudRate = wholeNumber(draft.baudText, BAUD_RATE_RANGE.min, BAUD_RATE_RANGE.max);
  if (baudRate === undefined) return uiError('UI_ERR_BAD_BAUD', 'The baud rate must be a whole number from 50 to 4,000,000.');
  const { dataBits, parity, stopBits, flowControl } = draft;
  return { ok: true, value: { kind: 'serial', path, baudRate, dataBits, parity, stopBits, flowControl } };
}

/** "1G", "500M", "4096": bytes, 1 up to the panel's limit; undefined when it is not one. */
export function modemMaxSize(text: string): number | undefined {
  const bytes = parseSize(text);
  return bytes !== undefined && bytes >= 1 && bytes <= MODEM_MAX_FILE_SIZE_LIMIT ? bytes : undefined;
}

export const createModemSlice =
  (api: MspApi): Slice<ModemSlice> =>
  (set, get) => ({
    modemDraft: {
      kind: 'serial',
      path: '',
      baudText: '115200',
      baudCustom: false,
      dataBits: DEFAULT_LINE.dataBits,
      parity: DEFAULT_LINE.parity,
      stopBits: DEFAULT_LINE.stopBits,
      flowControl: DEFAULT_LINE.flowControl,
      host: '127.0.0.1',
      portText: '',
      protocol: 'zmodem',
      direction: 'send',
      folder: '',
      overwrite: false,
      maxSizeText: '1G',
      xmodemName: '',
    },
    modemFiles: [],
    modemRun: null,
    modemStarting: false,
    modemError: null,

    async loadModem() {
      const result = await api.modem.snapshot();
      if (!result.ok) return;
      const { run, receiveFolder } = result.value;
      const draft = get().modemDraft;
      set({ modemRun: run, ...(draft.folder === '' ? { modemDraft: { ...draft, folder: receiveFolder } } : {}) });
    },

    setModemDraft(patch) {
      set({ modemDraft: { ...get().modemDraft, ...patch }, modemError: null });
    },

    addModemFiles(files) {
      // XMODEM sends one file: the newest choice replaces the last.
      const single = get().modemDraft.protocol.startsWith('xmodem');
      set({ modemFiles: single ? files.slice(-1) : [...get().modemFiles, ...files].slice(-MAX_PENDING_UPLOADS), modemError: null });
    },

    removeModemFile(index) {
      set({ modemFiles: get().modemFiles.filter((_, i) => i !== index) });
    },

    async startModem() {
      const { modemDraft: draft, modemFiles: files } = get();
      const line = modemLineFromDraft(draft);
      if (!line.ok) return set({ modemError: line.error });
      set({ modemStarting: true, modemError: null });
      try {
        if (draft.direction === 'send') {
          if (files.length === 0) return set({ modemError: { code: 'UI_ERR_NO_FILES', message: 'Choose or drop the files to send first.' } });
          if (draft.protocol.startsWith('xmodem') && files.length > 1) {
            return set({ modemError: { code: 'UI_ERR_XMODEM_ONE_FILE', message: 'XMODEM sends one file; use YMODEM or ZMODEM for several.' } });
          }
          const uploadIds: string[] = [];
          for (const file of files) {
            const staged = await uploadFile(api, file);
            if (!staged.ok) return set({ modemError: staged.error });
            uploadIds.push(staged.value);
          }
          const started = await api.modem.send({ line: line.value, protocol: draft.protocol, uploadIds });
          set(started.ok ? { modemFiles: [] } : { modemError: started.error });
          return;
        }
        const maxFileSize = modemMaxSize(draft.maxSizeText);
        if (maxFileSize === undefined) return set({ modemError: { code: 'UI_ERR_BAD_MAX_SIZE', message: 'The largest file must be a size like 500K, 20M or 1G.' } });
        if (draft.folder.trim() === '') return set({ modemError: { code: 'UI_ERR_NO_FOLDER', message: 'Type the folder received files go to.' } });
        const xmodem = draft.protocol.startsWith('xmodem');
        if (xmodem && draft.xmodemName.trim() === '') {
          return set({ modemError: { code: 'UI_ERR_XMODEM_NAME', message: 'XMODEM carries no file name: type the name to save it under.' } });
        }
        const started = await api.modem.receive({
          line: line.value,
          protocol: draft.protocol,
          folder: draft.folder.trim(),
          overwrite: draft.overwrite,
          maxFileSize,
          ...(xmodem ? { xmodemName: draft.xmodemName.trim() } : {}),
        });
        if (!started.ok) set({ modemError: started.error });
      } finally {
        set({ modemStarting: false });
      }
    },

    async cancelModem() {
      const result = await api.modem.cancel();
      if (!result.ok) set({ modemError: result.error });
    },

    applyModemRun(run) {
      set({ modemRun: run });
    },
  });
