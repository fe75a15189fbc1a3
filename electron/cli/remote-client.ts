/**
 * `msp --mode client --list-commands` and `--run NAME [--arg K=V]...`: remote control of a
 * server (README "Remote control"). The exit code is the remote command's own; a refusal, a
 * peer without remote control, or a session that cannot carry it prints why and exits 1.
 */
import { utf8DecodeStrict } from '../../shared/msp/index.ts';
import type { OfferedCommand, OfferedParam, RunExit } from '../../shared/msp/remote-control.ts';
import type { Session } from '../main/link/session.ts';
import { RemoteController } from '../main/link/services/remote/remote-controller.ts';
import { REMOTE_CONTROL_SERVICE } from '../main/link/services/remote/remote-control-service.ts';
import type { ClientConfig } from './args.ts';
import { interrupted } from './interrupted.ts';
import type { Printer } from './output.ts';
import type { RemoteClientConfig } from './remote-args.ts';
import { join } from 'node:path';
import { ReceiveFolder } from '../main/link/services/file-transfer/receive-folder.ts';
import { fileRunVerified, getFile, putFile } from '../main/link/services/remote/remote-files.ts';

export async function runRemote(session: Session, controller: RemoteController, remote: RemoteClientConfig, config: ClientConfig, print: Printer): Promise<number> {
  try {
    const notReady = await session.whenReady();
    if (notReady) return refused(print, notReady.message);
    // Said before asking: the peer would refuse every request on this session anyway.
    const unavailable = controller.unavailable();
    if (unavailable) return refused(print, unavailable.message);
    const offered = await session.services.discovery.query(config.timeoutMs);
    if (!offered.ok) return refused(print, offered.error.message);
    if (!offered.value.some((s) => s.id === REMOTE_CONTROL_SERVICE.id)) {
      return refused(print, `${session.peer} does not offer remote control (it was started without --allow-commands).`);
    }
    switch (remote.action) {
      case 'list':
        return await list(controller, config, print);
      case 'run':
        return await run(controller, remote.command, remote.args, print, config.json);
      default:
        return await moveFile(controller, remote, print, config.json);
    }
  } finally {
    session.close();
  }
}

function refused(print: Printer, message: string): number {
  print.error(`Error: ${message}`);
  return 1;
}

async function list(controller: RemoteController, config: ClientConfig, print: Printer): Promise<number> {
  const commands = await controller.list(config.timeoutMs);
  if (!commands.ok) return refused(print, commands.error.message);
  if (commands.value.length === 0) print.event('commands', { commands: [] }, 'The server allows no commands.');
  for (const command of commands.value) print.event('command', { ...command }, describeCommand(command));
  return 0;
}

/** "echo  (text: string /[a-z]+/, at most 64)  Prints its argument. [confirm-first]" */
export function describeCommand(c: OfferedCommand): string {
  const params = c.params.map(describeParam).join(', ');
  const limits = c.builtin ? 'built-in' : `timeout ${c.timeoutSeconds} s, output at most ${c.maxOutputBytes} bytes`;
  return `${c.name}${params ? `  (${params})` : ''}\n    ${c.description || '(no description)'}  [${limits}${c.confirm ? ', asks the remote user first' : ''}]`;
}

function describeParam(p: OfferedParam): string {
  switch (p.type) {
    case 'string':
      return `${p.name}: text matching /${p.pattern}/, at most ${p.maxLength}`;
    case 'integer':
      return `${p.name}: whole number ${p.min}..${p.max}`;
    case 'enum':
      return `${p.name}: one of ${p.values.join('|')}`;
    case 'file':
      return `${p.name}: a path inside the server's allowed folder`;
  }
}

/** get-file / put-file: the server's own words on stdout or stderr, then one line saying what was verified. Exit 0 only when verified. */
async function moveFile(controller: RemoteController, remote: Extract<RemoteClientConfig, { action: 'get' | 'put' }>, print: Printer, json: boolean): Promise<number> {
  const command = remote.action === 'get' ? 'get-file' : 'put-file';
  let into: ReceiveFolder | undefined;
  if (remote.action === 'get') {
    const folder = await ReceiveFolder.open({ dir: remote.receiveDir });
    if (!folder.ok) return refused(print, folder.error);
    into = folder.value;
  }
  print.event('remote-request', { command, ...(remote.action === 'get' ? { name: remote.name } : { path: remote.path }) }, `Running ${command} on the server...`);
  const handlers = { onOutput: outputWriter(print, json) };
  const moving =
    remote.action === 'get' ? getFile(controller, remote.name, () => ({ folder: into as ReceiveFolder }), handlers) : putFile(controller, remote.path, remote.name, handlers);
  void interrupted().then(() => moving.cancel());
  const done = await moving.done;
  if (!done.ok) return refused(print, `${done.error.message} (${done.error.code})`);
  const result = done.value;
  if (!fileRunVerified(result)) {
    print.event('exit', { ...result.exit, ...(result.error ? { error: result.error.message, error_code: result.error.code } : {}) }, describeExit(command, result.exit));
    return refused(print, result.error?.message ?? `${command} did not complete (see the server's message above).`);
  }
  const file = result.file as NonNullable<typeof result.file>;
  const where = remote.action === 'get' ? `saved as ${join(into?.dir ?? '', file.name)}` : `saved on the server as ${file.name}`;
  print.event('file-verified', { command, name: file.name, size: file.size, sha256: file.sha256 }, `${command}: ${where}, ${file.size} bytes, SHA-256 ${file.sha256} verified`);
  return 0;
}

function outputWriter(print: Printer, json: boolean) {
  return (stream: 'stdout' | 'stderr', bytes: Uint8Array) => {
    if (json) print.event('output', { stream, text: utf8DecodeStrict(bytes) ?? Buffer.from(bytes).toString('latin1') }, '');
    else (stream === 'stdout' ? process.stdout : process.stderr).write(bytes);
  };
}

async function run(controller: RemoteController, command: string, args: Array<[string, string]>, print: Printer, json: boolean): Promise<number> {
  print.event('remote-request', { command, args: Object.fromEntries(args) }, `Running ${command} on the server...`);
  const running = controller.run(command, args, { onOutput: outputWriter(print, json) });
  // Ctrl+C cancels the remote command (its whole process tree) and waits for its end.
  void interrupted().then(() => running.cancel());
  const done = await running.done;
  if (!done.ok) return refused(print, `${done.error.message} (${done.error.code})`);
  const exit = done.value;
  print.event('exit', { ...exit }, describeExit(command, exit));
  if (exit.signalled || exit.timedOut || exit.cancelled) return 1;
  return Math.max(0, Math.min(255, exit.exitCode));
}

export function describeExit(command: string, exit: RunExit): string {
  const notes = [
    exit.truncated && `output cut at ${exit.bytes} bytes (the command's limit), and the command was stopped`,
    exit.timedOut && 'stopped at its timeout (with everything it started)',
    exit.cancelled && 'cancelled (with everything it started)',
  ].filter(Boolean);
  const how = exit.signalled ? `ended by signal ${exit.exitCode}` : `exit code ${exit.exitCode}`;
  return `${command}: ${how}, ${exit.bytes} bytes of output in ${exit.durationMs} ms${notes.length ? `; ${notes.join('; ')}` : ''}`;
}
