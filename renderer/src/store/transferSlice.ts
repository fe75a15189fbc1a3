/**
 * The Transfers tool: files going out and coming in, offers waiting for an answer, and where
 * received files go. A file to send is read here (the renderer's File, never a path) and
 * streamed to main in 512 KiB pieces, one awaited at a time, so memory stays bounded.
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import { UPLOAD_CHUNK_BYTES, type IncomingOffer, type ReceiveSettings, type TransferView, type TransfersSnapshot } from '../../../shared/ipc/transfer.ts';
import type { AppError, Result } from '../../../shared/result.ts';
import type { Slice } from './types.ts';

export interface TransferSlice {
  /** Newest first. */
  transfers: TransferView[];
  offers: IncomingOffer[];
  receive: TransfersSnapshot['receive'];
  /** Files being read and handed to main, by name. */
  uploading: string[];
  transferError: AppError | null;
  loadTransfers(): Promise<void>;
  applyTransfer(view: TransferView): void;
  sendFiles(files: File[]): Promise<void>;
  stopTransfer(key: string, how: 'cancelled' | 'paused'): Promise<void>;
  resumeTransfer(key: string): Promise<void>;
  answerOffer(offerId: string, accept: boolean, folder: string, always: boolean): Promise<void>;
  setReceive(settings: ReceiveSettings): Promise<void>;
}

/** The transfers list keeps this many rows; older finished ones go first. */
const MAX_ROWS = 200;

export const createTransferSlice =
  (api: MspApi): Slice<TransferSlice> =>
  (set, get) => ({
    transfers: [],
    offers: [],
    receive: { mode: 'ask', folder: '' },
    uploading: [],
    transferError: null,

    async loadTransfers() {
      const result = await api.transfer.snapshot();
      if (result.ok && result.value) set({ transfers: [...result.value.transfers].reverse(), offers: result.value.offers, receive: result.value.receive });
    },

    applyTransfer(view) {
      const rest = get().transfers.filter((t) => t.key !== view.key);
      set({ transfers: [view, ...rest].slice(0, MAX_ROWS) });
    },

    async sendFiles(files) {
      set({ transferError: null });
      for (const file of files) {
        set({ uploading: [...get().uploading, file.name] });
        const error = await upload(api, file);
        set({ uploading: get().uploading.filter((name) => name !== file.name), ...(error ? { transferError: error } : {}) });
        if (error) return;
      }
    },

    async stopTransfer(key, how) {
      const result = await api.transfer.stop({ key, how });
      set({ transferError: result.ok ? null : result.error });
    },

    async resumeTransfer(key) {
      const result = await api.transfer.resume({ key });
      set({ transferError: result.ok ? null : result.error });
    },

    async answerOffer(offerId, accept, folder, always) {
      const result = await api.transfer.answer({ offerId, accept, always, ...(folder.trim() ? { folder: folder.trim() } : {}) });
      set({ transferError: result.ok ? null : result.error });
    },

    async setReceive(settings) {
      const result = await api.transfer.setReceive(settings);
      set(result.ok ? { receive: result.value, transferError: null } : { transferError: result.error });
    },
  });

/** Reads one file in pieces and hands each to main, then sends it to every session; the first error stops it. */
async function upload(api: MspApi, file: File): Promise<AppError | null> {
  const staged = await stageUpload(api, file);
  if (!staged.ok) return staged.error;
  const finished = await api.transfer.uploadFinish({ uploadId: staged.value });
  return finished.ok ? null : finished.error;
}

/** Hands one file to main in pieces (staged there, not sent yet); its upload id. The Remote tool's put-file uses it too. */
export async function stageUpload(api: MspApi, file: File): Promise<Result<string>> {
  const started = await api.transfer.uploadStart({ name: file.name, size: file.size });
  if (!started.ok) return started;
  const { uploadId } = started.value;
  for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
    const bytes = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
    const sent = await api.transfer.uploadChunk({ uploadId, offset, data: toBase64(bytes) });
    if (!sent.ok) return sent;
  }
  return { ok: true, value: uploadId };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
