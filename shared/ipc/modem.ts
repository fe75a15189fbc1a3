/**
 * The X/Y/ZMODEM tool's IPC (README "File transfer with X/Y/ZMODEM"): one transfer at a time
 * per window, over a serial port (never the one this window's MSP link has open) or a raw TCP
 * connection. Files to send arrive first through the Transfers tool's upload requests
 * (transfer.uploadStart / uploadChunk, shared/ipc/transfer.ts); `modem.send` names them by
 * uploadId. Received files go only into the folder given here.
 */
import { z } from 'zod';
import { TCP_PORT_RANGE } from '../limits.ts';
import type { ModemErrorCode } from '../errors/modem.ts';
import { MODEM_DEFAULTS, MODEM_PROTOCOLS } from '../modem/protocols.ts';
import { MAX_PENDING_UPLOADS } from './transfer.ts';
import { serialLineSchema, serialPathSchema } from './serial.ts';

/** Where the bytes go: a serial port with its line settings, or a raw TCP connection. */
export const modemLineSchema = z.discriminatedUnion('kind', [
  serialLineSchema.extend({ kind: z.literal('serial'), path: serialPathSchema }),
  z.strictObject({
    kind: z.literal('tcp'),
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(TCP_PORT_RANGE.max),
  }),
]);

const protocolSchema = z.enum(MODEM_PROTOCOLS);

export const modemSendSchema = z
  .strictObject({
    line: modemLineSchema,
    protocol: protocolSchema,
    /** Files staged with transfer.uploadStart / uploadChunk, sent in this order. */
    uploadIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_PENDING_UPLOADS),
  })
  .refine((r) => !r.protocol.startsWith('xmodem') || r.uploadIds.length === 1, 'XMODEM sends one file; use YMODEM or ZMODEM for several.');

/** The largest --max-file-size the panel accepts (as the CLI: any whole number of bytes up to this). */
export const MODEM_MAX_FILE_SIZE_LIMIT = 64 * 2 ** 30;

export const modemReceiveSchema = z
  .strictObject({
    line: modemLineSchema,
    protocol: protocolSchema,
    /** The only folder anything is written to. */
    folder: z.string().trim().min(1).max(4096),
    overwrite: z.boolean().default(false),
    maxFileSize: z.number().int().min(1).max(MODEM_MAX_FILE_SIZE_LIMIT).default(MODEM_DEFAULTS.maxFileSize),
    /** XMODEM carries no name: the file is saved under this one. */
    xmodemName: z.string().min(1).max(255).optional(),
  })
  .refine((r) => !r.protocol.startsWith('xmodem') || r.xmodemName !== undefined, 'XMODEM carries no file name: give the name to save it under.');

export type ModemLineRequest = z.infer<typeof modemLineSchema>;
export type ModemSendRequest = z.infer<typeof modemSendSchema>;
export type ModemReceiveInput = z.input<typeof modemReceiveSchema>;
export type ModemReceiveRequest = z.output<typeof modemReceiveSchema>;

export type ModemFileState = 'running' | 'done' | 'skipped' | 'failed';

/** One file of a run, as the panel's progress row shows it. */
export interface ModemFileView {
  name: string;
  /** Unknown for XMODEM (no size on the wire) until it ends. */
  size?: number;
  bytes: number;
  rateBytesPerSec: number;
  /** Bad blocks and resend requests during this file. */
  retries: number;
  state: ModemFileState;
  /** Received: where it was saved; what was changed in the offered name to make it safe. */
  savedAs?: string;
  offeredAs?: string;
  /** Why it was skipped. */
  note?: string;
}

export type ModemRunState = 'opening' | 'running' | 'done' | 'failed' | 'cancelled';

/** The window's current (or last) X/Y/ZMODEM run. */
export interface ModemRunView {
  runId: number;
  direction: 'send' | 'receive';
  protocol: (typeof MODEM_PROTOCOLS)[number];
  /** "/dev/ttyUSB0 115200 8N1" or "10.0.0.5:2323". */
  line: string;
  state: ModemRunState;
  files: ModemFileView[];
  error?: { code: ModemErrorCode | string; message: string };
}

export interface ModemSnapshot {
  run: ModemRunView | null;
  /** The folder received files go to unless the panel says otherwise (the Transfers tool's). */
  receiveFolder: string;
  maxFileSize: number;
}
