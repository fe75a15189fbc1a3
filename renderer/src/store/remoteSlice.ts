/**
 * Remote control in the window (features/remote/RemotePanel.tsx). As a client: the server's
 * commands, the one run shown (its output streamed in, then its end). As a server: the commands
 * file in use, who is in control now, and confirm-first commands waiting for an answer.
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { OfferedCommand, RemoteHostState, RemoteOutput, RemoteRunEnd } from '../../../shared/ipc/remote.ts';
import type { AppError } from '../../../shared/result.ts';
import type { Slice } from './types.ts';
import { uploadFile } from './uploadFile.ts';

/** The most output text the panel keeps for one run (main caps a run at 512 KiB already). */
const MAX_OUTPUT_CHARS = 1 << 20;

export interface RemoteRunView {
  runId: number | null;
  command: string;
  output: Array<{ stream: RemoteOutput['stream']; text: string }>;
  chars: number;
  end: RemoteRunEnd | null;
}

export const NO_HOST: RemoteHostState = { commandsFile: null, auditLog: null, commands: [], controllers: [], confirms: [] };

export interface RemoteSlice {
  remoteCommands: OfferedCommand[] | null;
  remoteListing: boolean;
  remoteError: AppError | null;
  remoteRun: RemoteRunView | null;
  remoteHost: RemoteHostState;
  listRemoteCommands(): Promise<void>;
  runRemoteCommand(command: string, args: Array<[string, string]>): Promise<void>;
  /** put-file: the file is handed to main, then sent into the server's shared folder as `name`. */
  putRemoteFile(file: File, name: string): Promise<void>;
  cancelRemoteRun(): Promise<void>;
  /** Forgets the list and the run shown (the link changed). */
  resetRemote(): void;
  loadRemoteHost(): Promise<void>;
  useCommandsFile(path: string): Promise<boolean>;
  stopCommandsFile(): Promise<void>;
  revokeRemote(peer: string): Promise<void>;
  answerRemoteConfirm(confirmId: number, allow: boolean): Promise<void>;
  /** Events from main. */
  remoteOutput(output: RemoteOutput): void;
  remoteEnded(end: RemoteRunEnd): void;
}

export const createRemoteSlice =
  (api: MspApi): Slice<RemoteSlice> =>
  (set, get) => ({
    remoteCommands: null,
    remoteListing: false,
    remoteError: null,
    remoteRun: null,
    remoteHost: NO_HOST,

    async listRemoteCommands() {
      set({ remoteListing: true, remoteError: null });
      const result = await api.remote.list();
      set(result.ok ? { remoteListing: false, remoteCommands: result.value } : { remoteListing: false, remoteCommands: null, remoteError: result.error });
    },

    async runRemoteCommand(command, args) {
      set({ remoteError: null, remoteRun: { runId: null, command, output: [], chars: 0, end: null } });
      const result = await api.remote.run({ command, args });
      if (!result.ok) {
        set({ remoteRun: null, remoteError: result.error });
        return;
      }
      const run = get().remoteRun;
      // Output may already have come in for this id before the answer: keep it.
      if (run && run.runId === null && run.command === command) set({ remoteRun: { ...run, runId: result.value.runId } });
    },

    async putRemoteFile(file, name) {
      const command = 'put-file';
      set({ remoteError: null, remoteRun: { runId: null, command, output: [], chars: 0, end: null } });
      const staged = await uploadFile(api, file);
      const result = staged.ok ? await api.remote.putFile({ uploadId: staged.value, name }) : staged;
      if (!result.ok) {
        set({ remoteRun: null, remoteError: result.error });
        return;
      }
      const run = get().remoteRun;
      if (run && run.runId === null && run.command === command) set({ remoteRun: { ...run, runId: result.value.runId } });
    },

    async cancelRemoteRun() {
      const runId = get().remoteRun?.runId;
      if (runId) await api.remote.cancel({ runId });
    },

    resetRemote() {
      set({ remoteCommands: null, remoteError: null, remoteListing: false });
    },

    async loadRemoteHost() {
      const result = await api.remote.state();
      if (result.ok) set({ remoteHost: result.value });
    },

    async useCommandsFile(path) {
      const result = await api.remote.useCommands({ path });
      set(result.ok ? { remoteHost: result.value, remoteError: null } : { remoteError: result.error });
      return result.ok;
    },

    async stopCommandsFile() {
      const result = await api.remote.stopCommands();
      if (result.ok) set({ remoteHost: result.value, remoteError: null });
    },

    async revokeRemote(peer) {
      const result = await api.remote.revoke({ peer });
      if (result.ok) set({ remoteHost: result.value });
    },

    async answerRemoteConfirm(confirmId, allow) {
      const result = await api.remote.confirm({ confirmId, allow });
      set(result.ok ? { remoteHost: result.value } : { remoteError: result.error });
    },

    remoteOutput({ runId, stream, text }) {
      const run = get().remoteRun;
      if (!run || (run.runId !== null && run.runId !== runId) || run.chars >= MAX_OUTPUT_CHARS) return;
      const kept = text.slice(0, MAX_OUTPUT_CHARS - run.chars);
      const last = run.output.at(-1);
      // Consecutive chunks of one stream become one block.
      const output = last && last.stream === stream ? [...run.output.slice(0, -1), { stream, text: last.text + kept }] : [...run.output, { stream, text: kept }];
      set({ remoteRun: { ...run, runId, output, chars: run.chars + kept.length } });
    },

    remoteEnded(end) {
      const run = get().remoteRun;
      if (!run || (run.runId !== null && run.runId !== end.runId)) return;
      set({ remoteRun: { ...run, runId: end.runId, end } });
    },
  });
