/**
 * The remote-control flags (README "Remote control"). Kept apart from args.ts, which only
 * registers them and turns a refusal here into its one-line UsageError (exit 2).
 */
import { dirname, basename, extname, join, resolve } from 'node:path';
import { fail, ok, type Result } from '../../shared/result.ts';

export const REMOTE_FLAGS = {
  'allow-commands': { type: 'string' },
  'audit-log': { type: 'string' },
  'confirm-on-terminal': { type: 'boolean' },
  'list-commands': { type: 'boolean' },
  run: { type: 'string' },
  arg: { type: 'string', multiple: true },
} as const;

type RemoteFlagValues = {
  'receive-dir'?: string;
  'allow-commands'?: string;
  'audit-log'?: string;
  'confirm-on-terminal'?: boolean;
  'list-commands'?: boolean;
  run?: string;
  arg?: string[];
};

export const REMOTE_USAGE = `Remote control (only on a password-authenticated session, MSP v3; see README "Remote control"):
  --allow-commands FILE  server: offer the commands allowed in FILE (JSON), nothing else
  --audit-log FILE       server: append every request and outcome there, one JSON line each
                         [FILE next to the commands file: <name>.audit.jsonl]
  --confirm-on-terminal  server: ask on this terminal before confirm-first commands
                         (without it they are refused, saying why)
  --list-commands        client: print the commands the server allows, with their parameters
  --run NAME             client: run one; the exit code is the command's (1 when refused)
  --arg KEY=VALUE        client, with --run: one argument (repeat for more)
  --run get-file --arg name=PATH --receive-dir DIR
                         client: fetch one file of the server's shared folder into DIR
  --run put-file --arg path=LOCAL [--arg name=NAME]
                         client: send the local file into the server's shared folder
                         (exit 0 once its SHA-256 is verified, 1 with the reason if not)`;

export interface RemoteServerConfig {
  commandsFile: string;
  auditLog: string;
  confirmOnTerminal: boolean;
}

export type RemoteClientConfig =
  | { action: 'list' }
  | { action: 'run'; command: string; args: Array<[string, string]> }
  /** get-file: `name` is a path in the server's shared folder; the file lands in `receiveDir`. */
  | { action: 'get'; name: string; receiveDir: string }
  /** put-file: the local file at `path`, saved there as `name` (its own name when left out). */
  | { action: 'put'; path: string; name?: string };

/** The audit log's default place: beside the commands file, named after it. */
export function defaultAuditLog(commandsFile: string): string {
  const full = resolve(commandsFile);
  return join(dirname(full), `${basename(full, extname(full))}.audit.jsonl`);
}

export function parseRemoteServerFlags(v: RemoteFlagValues, hasPassword: boolean, serial: boolean): Result<RemoteServerConfig | undefined, string> {
  if (v['list-commands'] || v.run !== undefined || v.arg?.length) return fail('--list-commands, --run and --arg are for --mode client.');
  if (v['allow-commands'] === undefined) {
    if (v['audit-log'] !== undefined || v['confirm-on-terminal']) return fail('--audit-log and --confirm-on-terminal go with --allow-commands FILE.');
    return ok(undefined);
  }
  if (!hasPassword) return fail('--allow-commands needs a password of your own (--password-file, --ask-password, MSP_PASSWORD or --password; not --secure\'s public one): remote control runs only on password-authenticated sessions.');
  if (serial) return fail('--allow-commands is for a TCP server; remote control over --serial is not available yet.');
  if (v['confirm-on-terminal'] && !process.stdin.isTTY) return fail('--confirm-on-terminal needs a terminal to ask on (stdin is not one).');
  return ok({
    commandsFile: v['allow-commands'],
    auditLog: v['audit-log'] ?? defaultAuditLog(v['allow-commands']),
    confirmOnTerminal: v['confirm-on-terminal'] === true,
  });
}

export function parseRemoteClientFlags(v: RemoteFlagValues): Result<RemoteClientConfig | undefined, string> {
  if (v['allow-commands'] !== undefined || v['audit-log'] !== undefined || v['confirm-on-terminal']) {
    return fail('--allow-commands, --audit-log and --confirm-on-terminal are for --mode server.');
  }
  if (v['list-commands'] && v.run !== undefined) return fail('Give either --list-commands or --run, not both.');
  if (v.arg?.length && v.run === undefined) return fail('--arg goes with --run NAME.');
  if (v['list-commands']) return ok({ action: 'list' });
  if (v.run === undefined) return ok(undefined);
  const args: Array<[string, string]> = [];
  for (const arg of v.arg ?? []) {
    const at = arg.indexOf('=');
    if (at <= 0) return fail(`--arg must be KEY=VALUE, got "${arg}".`);
    args.push([arg.slice(0, at), arg.slice(at + 1)]);
  }
  if (v.run === 'get-file') return getFileFlags(args, v['receive-dir']);
  if (v['receive-dir'] !== undefined) return fail('--receive-dir is for --mode server, or for --run get-file (where the file lands).');
  if (v.run === 'put-file') return putFileFlags(args);
  return ok({ action: 'run', command: v.run, args });
}

/** `--run get-file --arg name=PATH --receive-dir DIR`: where the file lands is always said, never assumed. */
function getFileFlags(args: Array<[string, string]>, receiveDir: string | undefined): Result<RemoteClientConfig, string> {
  const name = only(args, 'name', []);
  if (!name.ok) return fail(`--run get-file takes --arg name=PATH (a path in the server's shared folder): ${name.error}`);
  if (receiveDir === undefined || receiveDir === '') return fail('--run get-file needs --receive-dir DIR: the folder where the file lands.');
  return ok({ action: 'get', name: name.value, receiveDir });
}

/** `--run put-file --arg path=LOCAL [--arg name=NAME]`: the local path never leaves this machine; name and size are sent. */
function putFileFlags(args: Array<[string, string]>): Result<RemoteClientConfig, string> {
  const path = only(args, 'path', ['name']);
  if (!path.ok) return fail(`--run put-file takes --arg path=LOCAL_FILE (and optionally --arg name=NAME): ${path.error}`);
  const name = args.find(([k]) => k === 'name')?.[1];
  return ok({ action: 'put', path: path.value, ...(name !== undefined ? { name } : {}) });
}

/** The one value of `key` among args that may also hold `optional` keys. */
function only(args: Array<[string, string]>, key: string, optional: string[]): Result<string, string> {
  const extra = args.find(([k]) => k !== key && !optional.includes(k));
  if (extra) return fail(`there is no "${extra[0]}".`);
  const values = args.filter(([k]) => k === key);
  if (values.length !== 1 || values[0][1] === '') return fail(values.length > 1 ? `"${key}" is given twice.` : `"${key}" is missing.`);
  if (optional.some((o) => args.filter(([k]) => k === o).length > 1)) return fail('an argument is given twice.');
  return ok(values[0][1]);
}
