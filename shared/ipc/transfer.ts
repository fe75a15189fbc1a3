/**
 * The Transfers tool's IPC (docs/PROTOCOL.md, "File transfer"): requests with their schemas,
 * and what the backend tells the window. The renderer has no file system, so a file to send
 * travels as its bytes: uploadStart, then uploadChunk pieces (base64, at most 512 KiB each, in
 * order), then uploadFinish, which stages it in a temporary file and sends it. This works the
 * same in Electron and in the browser test host, and the renderer can only send bytes of a file
 * the user dropped or picked (it never names a path main would read).
 */
import { z } from 'zod';
import { FILE_TRANSFER_LIMITS } from '../limits.ts';
import type { FileTransferErrorCode } from '../errors/file-transfer.ts';

/** One upload piece: 512 KiB of data as base64. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
/** Uploads staged at once. */
export const MAX_PENDING_UPLOADS = 4;

const key = z.string().min(1).max(64);

export const uploadStartSchema = z.strictObject({
  name: z.string().min(1).max(255),
  size: z.number().int().min(0).max(FILE_TRANSFER_LIMITS.defaultMaxFileSize),
});
export const uploadChunkSchema = z.strictObject({
  uploadId: key,
  offset: z.number().int().min(0),
  data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export const uploadIdSchema = z.strictObject({ uploadId: key });
export const transferStopSchema = z.strictObject({ key, how: z.enum(['cancelled', 'paused']) });
export const transferKeySchema = z.strictObject({ key });
export const offerAnswerSchema = z.strictObject({
  offerId: key,
  accept: z.boolean(),
  /** Where to save it; the receive folder setting when left out. */
  folder: z.string().min(1).max(4096).optional(),
  /** Accept what this peer offers from now on, for this session, into the same folder. */
  always: z.boolean().default(false),
});
export const receiveSettingsSchema = z.strictObject({
  /** ask: each offer is a question; folder: accept into `folder` without asking; off: refuse. */
  mode: z.enum(['ask', 'folder', 'off']),
  folder: z.string().min(1).max(4096).optional(),
});

export type UploadStart = z.infer<typeof uploadStartSchema>;
export type UploadChunk = z.infer<typeof uploadChunkSchema>;
export type OfferAnswer = z.output<typeof offerAnswerSchema>;
export type ReceiveSettings = z.infer<typeof receiveSettingsSchema>;

export type TransferState = 'waiting' | 'running' | 'paused' | 'done' | 'failed';

/** One row of the transfers list. */
export interface TransferView {
  key: string;
  dir: 'send' | 'receive';
  peer: string;
  name: string;
  size: number;
  bytes: number;
  rateBytesPerSec: number;
  state: TransferState;
  savedAs?: string;
  /** Where a received file is (the folder). */
  folder?: string;
  error?: { code: FileTransferErrorCode; message: string };
  /** A paused (or dropped) send can be started again: it resumes where the receiver stopped. */
  resumable: boolean;
}

/** An offer the user is asked about. */
export interface IncomingOffer {
  offerId: string;
  peer: string;
  name: string;
  size: number;
  /** The receive folder setting: where it goes unless the user picks another. */
  folder: string;
}

export interface TransfersSnapshot {
  transfers: TransferView[];
  offers: IncomingOffer[];
  receive: ReceiveSettings & { folder: string };
}
