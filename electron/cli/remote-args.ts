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
  --arg KEY=VALUE        client, with --run: one argument (repeat for more)`;

export interface RemoteServerConfig {
  commandsFile: string;
  auditLog: string;
  confirmOnTerminal: boolean;
}

export type RemoteClientConfig = { action: 'list' } | { action: 'run'; command: string; args: Array<[string, string]> };

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
  return ok({ action: 'run', command: v.run, args });
}
