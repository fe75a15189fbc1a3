/**
 * What a file transfer tells its owner (the CLI's progress and --json lines, the app's
 * Transfers panel), for files going out and coming in alike.
 */
import type { FileTransferErrorCode } from '../errors/file-transfer.ts';

export type TransferDirection = 'send' | 'receive';

export interface TransferInfo {
  /** Unique in this process (the wire id is per session). */
  key: string;
  dir: TransferDirection;
  peer: string;
  name: string;
  size: number;
}

export type TransferEvent =
  /** Under way: `offset` is where it starts (more than 0 when it resumes a .part file). */
  | { kind: 'started'; transfer: TransferInfo; offset: number }
  | { kind: 'progress'; transfer: TransferInfo; bytes: number; rateBytesPerSec: number }
  /** Verified: `savedAs` is the name the receiver gave it (maybe `name (1).ext`); a receiver says in which folder. */
  | { kind: 'done'; transfer: TransferInfo; savedAs: string; sha256: string; resumedFrom: number; ms: number; folder?: string }
  | { kind: 'failed'; transfer: TransferInfo; code: FileTransferErrorCode; message: string; bytes: number };
