/**
 * `msp --mode server --allow-commands FILE`: the controlled side's setup. A commands file or an
 * audit log that cannot be used stops the server before it listens (exit 2, naming the field).
 * Every audit entry is printed too (the server's own log of who ran what).
 */
import { createInterface } from 'node:readline';
import { AuditLog, type AuditEntry } from '../main/link/services/remote/audit-log.ts';
import { loadCommandsFile } from '../main/link/services/remote/commands-loader.ts';
import { RemoteControlHost, type ConfirmRequest } from '../main/link/services/remote/remote-control-host.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { RemoteServerConfig } from './remote-args.ts';
import type { Printer } from './output.ts';

export function startRemoteControl(config: RemoteServerConfig, print: Printer): Result<RemoteControlHost, string> {
  const commands = loadCommandsFile(config.commandsFile);
  if (!commands.ok) return commands;
  const audit = AuditLog.open(config.auditLog);
  if (!audit.ok) return fail(audit.error);
  audit.value.onEntry((entry) => printAudit(entry, print));
  const host = new RemoteControlHost({
    commands: commands.value,
    audit: audit.value,
    ...(config.confirmOnTerminal
      ? { confirm: askOnTerminal() }
      : { noConfirmReason: 'This command must be confirmed on the controlled machine, and its server was started without --confirm-on-terminal, so it is refused.' }),
  });
  const names = host.offered().map((c) => c.name);
  print.event(
    'remote-control',
    { commands: names, audit_log: config.auditLog },
    `Remote control: ${names.length ? names.join(', ') : 'no commands'} (password-authenticated clients only); audit log ${config.auditLog}`,
  );
  return ok(host);
}

function printAudit(entry: AuditEntry, print: Printer): void {
  const what = entry.command ? ` ${entry.command}${entry.args && Object.keys(entry.args).length ? ' ' + JSON.stringify(entry.args) : ''}` : '';
  if (entry.event === 'transfer') {
    const { event, ...fields } = entry;
    const file = `${entry.command} ${JSON.stringify(entry.file)}${entry.size !== undefined ? `, ${entry.size} bytes` : ''}`;
    const outcome = entry.outcome === 'verified' ? `verified, SHA-256 ${entry.sha256}` : `failed: ${entry.reason}`;
    return print.event('remote', { action: event, ...fields }, `[${entry.peer}] remote ${file}: ${outcome}`);
  }
  const outcome =
    entry.event === 'refused'
      ? `: ${entry.reason}`
      : entry.event === 'exit'
        ? `: exit ${entry.signalled ? `by signal ${entry.exitCode}` : entry.exitCode}, ${entry.bytes} bytes${entry.timedOut ? ', timed out' : ''}${entry.truncated ? ', output cut' : ''}${entry.cancelled ? ', cancelled' : ''}`
        : '';
  const { event, ...fields } = entry;
  print.event('remote', { action: event, ...fields }, `[${entry.peer}] remote ${entry.event}${what}${outcome}`);
}

/** Asks on the terminal, one question at a time: "Allow PEER to run NAME {...}? [y/N]". */
function askOnTerminal(): (request: ConfirmRequest) => Promise<boolean> {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const ask = () =>
      new Promise<boolean>((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        rl.question(`Allow ${request.peer} to run ${request.command} ${JSON.stringify(request.args)}? [y/N] `, (answer) => {
          rl.close();
          resolve(/^y(es)?$/i.test(answer.trim()));
        });
      });
    const answer = queue.then(ask, ask);
    queue = answer;
    return answer;
  };
}
