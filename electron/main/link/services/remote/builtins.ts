/**
 * Built-in commands, each off unless the commands file turns it on: they run inside the
 * server (no program is started) and answer like any command: output, then an exit code.
 */
import { readdirSync } from 'node:fs';
import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, type, uptime } from 'node:os';
import type { OfferedCommand, OutputStreamName, RunExit } from '../../../../../shared/msp/remote-control.ts';
import { REMOTE_LIMITS } from '../../../../../shared/limits.ts';
import { utf8Encode } from '../../../../../shared/msp/text.ts';
import type { CheckedArgs } from './arguments.ts';
import type { LoadedCommands, LoadedParam } from './commands-loader.ts';
import type { RunningCommand } from './run-process.ts';
import { workbenchBuiltins } from './workbench-builtins.ts';
import { fileBuiltins } from './file-builtins.ts';
import type { AuditLog } from './audit-log.ts';
import type { FileTransferService } from '../file-transfer/file-transfer-service.ts';

/** At most this many entries of a folder are listed. */
const MAX_LISTED = 1000;
const OUTPUT_CAP = 64 * 1024;

export type BuiltinAnswer = { stdout: string } | { stderr: string };

/** What a built-in may use of the run's session. */
export interface BuiltinSession {
  peer: string;
  audit: AuditLog;
  /** This session's file transfer (get-file, put-file), when it has one. */
  fileTransfer(): FileTransferService | undefined;
}

export interface BuiltinContext extends BuiltinSession {
  /** Aborted when the run is cancelled: by the controller, a revoke, or the session's end. */
  signal: AbortSignal;
}

export interface Builtin {
  offered: OfferedCommand;
  params: LoadedParam[];
  /**
   * The text it answers with (stdout), or an error (stderr, exit code 1). Called at once, before
   * RC_STARTED is sent: what it sets up synchronously (put-file's expected offer) is in place
   * when the controller hears that the run started.
   */
  run(args: CheckedArgs, context: BuiltinContext): BuiltinAnswer | Promise<BuiltinAnswer>;
  /** The server stops: release what the built-in holds (responders it started). */
  stop?(): void;
}

export function builtinsOf(config: LoadedCommands['builtins']): Builtin[] {
  const list: Builtin[] = [];
  if (config.systemInfo) {
    list.push({
      offered: offered('system-info', 'This machine: OS, host name, uptime, load, memory, CPUs.', []),
      params: [],
      run: () => ({ stdout: systemInfo() }),
    });
  }
  if (config.files?.list) {
    const folder = config.files.realFolder;
    const params: LoadedParam[] = [{ name: 'path', description: 'A folder inside the shared folder ("." for the folder itself).', type: 'file', folder, realFolder: folder }];
    list.push({
      offered: offered('list-files', 'The files in the shared folder (or a folder inside it).', [{ name: 'path', description: params[0].description, type: 'file' }]),
      params,
      run: (args) => listFolder(args.get('path') as string),
    });
  }
  if (config.files) list.push(...fileBuiltins(config.files));
  if (config.workbench) list.push(...workbenchBuiltins(config.workbench));
  return list;
}

/** A built-in's answer as a finished RunningCommand, its output cut at the same cap as a program's. */
export function runBuiltin(
  builtin: Builtin,
  args: CheckedArgs,
  session: BuiltinSession,
  onOutput: (stream: OutputStreamName, bytes: Uint8Array) => void,
): RunningCommand {
  const startedAt = Date.now();
  const abort = new AbortController();
  let answer: BuiltinAnswer | Promise<BuiltinAnswer>;
  try {
    answer = builtin.run(args, { ...session, signal: abort.signal });
  } catch (error) {
    answer = { stderr: `${(error as Error).message}\n` };
  }
  const done = Promise.resolve(answer)
    .catch((error: unknown): BuiltinAnswer => ({ stderr: `${(error as Error).message}\n` }))
    .then((answer): RunExit => {
      const stream: OutputStreamName = 'stdout' in answer ? 'stdout' : 'stderr';
      const all = utf8Encode('stdout' in answer ? answer.stdout : answer.stderr);
      const bytes = all.subarray(0, OUTPUT_CAP);
      for (let at = 0; at < bytes.length; at += REMOTE_LIMITS.outputChunkBytes) onOutput(stream, bytes.slice(at, at + REMOTE_LIMITS.outputChunkBytes));
      return {
        exitCode: stream === 'stdout' ? 0 : 1,
        signalled: false,
        truncated: all.length > OUTPUT_CAP,
        timedOut: false,
        cancelled: false,
        bytes: bytes.length,
        durationMs: Date.now() - startedAt,
      };
    });
  return { started: Promise.resolve(undefined), done, cancel: () => abort.abort() };
}

function offered(name: string, description: string, params: OfferedCommand['params']): OfferedCommand {
  return { name, description, params, confirm: false, timeoutSeconds: 0, maxOutputBytes: OUTPUT_CAP, builtin: true };
}

function systemInfo(): string {
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  const lines = [
    `os: ${type()} ${release()} (${platform()} ${arch()})`,
    `host: ${hostname()}`,
    `uptime: ${Math.round(uptime())} s`,
    `load: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    `memory: ${gib(freemem())} free of ${gib(totalmem())}`,
    `cpus: ${cpus().length}`,
  ];
  return lines.join('\n') + '\n';
}

function listFolder(real: string): { stdout: string } | { stderr: string } {
  try {
    const entries = readdirSync(real, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    const lines = entries.slice(0, MAX_LISTED).map((e) => `${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'f'} ${e.name}`);
    if (entries.length > MAX_LISTED) lines.push(`(${entries.length - MAX_LISTED} more not listed)`);
    return { stdout: lines.join('\n') + (lines.length ? '\n' : '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { stderr: code === 'ENOTDIR' ? 'Not a folder.\n' : `Cannot list it (${code ?? 'error'}).\n` };
  }
}
