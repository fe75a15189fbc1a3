/**
 * The remote-control panel's requests and events (README "Remote control"): the controller
 * lists and runs the peer's commands; the controlled side chooses a commands file, sees who is
 * in control, revokes, and answers confirm-first commands.
 */
import { z } from 'zod';
import { REMOTE_LIMITS } from '../limits.ts';
import type { OfferedCommand, OfferedParam, OutputStreamName, RunExit } from '../msp/remote-control.ts';
import { NAME_PATTERN } from '../remote/commands-file.ts';
import type { AppError } from '../result.ts';

export type { OfferedCommand, OfferedParam, RunExit };

export const remoteRunSchema = z.strictObject({
  command: z.string().regex(NAME_PATTERN, 'Not a command name.'),
  args: z.array(z.tuple([z.string().max(32), z.string().max(REMOTE_LIMITS.maxStringParam)])).max(REMOTE_LIMITS.maxParams),
});
/** put-file from the window: a file staged with transfer.uploadStart/uploadChunk, and the name it gets there. */
export const remotePutSchema = z.strictObject({ uploadId: z.string().min(1).max(64), name: z.string().min(1).max(REMOTE_LIMITS.maxStringParam) });
export const remoteRunIdSchema = z.strictObject({ runId: z.number().int().positive() });
export const remoteCommandsFileSchema = z.strictObject({ path: z.string().trim().min(1, 'Give the path of a commands file.').max(4096) });
export const remoteRevokeSchema = z.strictObject({ peer: z.string().min(1).max(200) });
export const remoteConfirmSchema = z.strictObject({ confirmId: z.number().int().positive(), allow: z.boolean() });

export type RemoteRunRequest = z.infer<typeof remoteRunSchema>;
export type RemotePutRequest = z.infer<typeof remotePutSchema>;

/** A chunk of a run's output, as text (UTF-8, decoded across chunks). */
export interface RemoteOutput {
  runId: number;
  stream: OutputStreamName;
  text: string;
}

/**
 * get-file or put-file: the file as verified by SHA-256 on both ends. Data, not a sentence:
 * the window words it in its own language (RemoteRunOutput).
 */
export interface RemoteFileSaved {
  /** get: saved here, in `folder` (the Transfers receive folder); put: saved in the server's shared folder. */
  direction: 'get' | 'put';
  /** The name it was saved as (the receiver may have made it safe or unique). */
  name: string;
  size: number;
  sha256: string;
  folder?: string;
}

/**
 * How a run ended: its exit, or why it never ran (refused, no authenticated session...).
 * A get-file or put-file run also says what became of its file: `file` when it was verified,
 * `fileError` when this end's file transfer failed (a coded error, worded by the window).
 */
export type RemoteRunEnd = { runId: number; exit: RunExit; file?: RemoteFileSaved; fileError?: AppError } | { runId: number; error: AppError };

/** A controller in control of this machine now (the controlled side's panel). */
export interface RemoteControllerInfo {
  peer: string;
  since: number;
  running: number;
  lastCommand?: string;
}

/** A confirm-first command waiting for the local user's answer. */
export interface RemoteConfirmAsk {
  confirmId: number;
  peer: string;
  command: string;
  description: string;
  args: Record<string, string>;
}

/** The controlled side, as the panel shows it. */
export interface RemoteHostState {
  /** The commands file in use, or null (remote control off). */
  commandsFile: string | null;
  auditLog: string | null;
  commands: string[];
  controllers: RemoteControllerInfo[];
  confirms: RemoteConfirmAsk[];
}
