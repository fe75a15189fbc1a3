/**
 * The file transfer flags (docs/PROTOCOL.md, "File transfer"): a server or responder receives
 * with --receive-dir, a client or sender sends with --send-file. Kept apart from args.ts, as the
 * serial flags are; args.ts turns a refusal here into its usual one-line UsageError.
 */
import { parseSize } from '../../shared/size.ts';
import { FILE_TRANSFER_LIMITS } from '../../shared/limits.ts';
import { fail, ok, type Result } from '../../shared/result.ts';

export interface TransferConfig {
  /** Server: receive offered files into this folder; without it offers are refused. */
  receiveDir?: string;
  /** Replace an existing file of the same name instead of saving as `name (1).ext`. */
  overwrite: boolean;
  maxFileSize: number;
  /** Client: files to send, in order. */
  sendFiles: string[];
}

export const TRANSFER_FLAGS = {
  'receive-dir': { type: 'string' },
  overwrite: { type: 'boolean' },
  'max-file-size': { type: 'string' },
  'send-file': { type: 'string', multiple: true },
} as const;

export const TRANSFER_USAGE = `File transfer (MSP-native, resumable, verified by SHA-256; works over TCP, TLS, v3 and serial):
  --send-file PATH    client: send this file (repeat the flag for several); no --message needed
  --receive-dir DIR   server: accept offered files into DIR (without it, offers are refused)
  --overwrite         server: replace a file of the same name (otherwise saved as "name (1).ext")
  --max-file-size N   server: refuse files over N bytes (suffix K, M, G allowed)     [16G]`;

type TransferFlagValues = { 'receive-dir'?: string; overwrite?: boolean; 'max-file-size'?: string; 'send-file'?: string[] };

/** `clientReceives`: --run get-file, whose --receive-dir remote-args.ts reads (a client takes no other offer). */
export function parseTransferFlags(v: TransferFlagValues, mode: 'server' | 'client', clientReceives = false): Result<TransferConfig, string> {
  const sendFiles = v['send-file'] ?? [];
  if (mode === 'server' && sendFiles.length > 0) return fail('--send-file is for --mode client (the server receives).');
  if (mode === 'client' && ((v['receive-dir'] !== undefined && !clientReceives) || v.overwrite || v['max-file-size'] !== undefined)) {
    return fail('--receive-dir, --overwrite and --max-file-size are for --mode server (the client sends; --receive-dir also goes with --run get-file).');
  }
  if (mode === 'client' && clientReceives) return ok({ overwrite: false, maxFileSize: FILE_TRANSFER_LIMITS.defaultMaxFileSize, sendFiles });
  if (v['receive-dir'] === '') return fail('--receive-dir is empty.');
  if (sendFiles.some((f) => f === '')) return fail('--send-file is empty.');
  if ((v.overwrite || v['max-file-size'] !== undefined) && v['receive-dir'] === undefined) {
    return fail('--overwrite and --max-file-size go with --receive-dir.');
  }
  let maxFileSize: number = FILE_TRANSFER_LIMITS.defaultMaxFileSize;
  if (v['max-file-size'] !== undefined) {
    const size = parseSize(v['max-file-size']);
    if (size === undefined) return fail(`--max-file-size must be a number of bytes (like 1048576 or 500M), got "${v['max-file-size']}".`);
    maxFileSize = size;
  }
  return ok({
    ...(v['receive-dir'] !== undefined ? { receiveDir: v['receive-dir'] } : {}),
    overwrite: v.overwrite ?? false,
    maxFileSize,
    sendFiles,
  });
}
