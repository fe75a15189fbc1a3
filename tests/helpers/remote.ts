/** Remote control over real TCP for tests: a commands file in a temp folder, a password server offering it, controllers. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClientSecurity, buildServerSecurity } from '../../electron/main/link/security-builder.ts';
import { AuditLog, type AuditEntry } from '../../electron/main/link/services/remote/audit-log.ts';
import { loadCommandsFile } from '../../electron/main/link/services/remote/commands-loader.ts';
import { RemoteControlHost, type ConfirmHandler } from '../../electron/main/link/services/remote/remote-control-host.ts';
import { RemoteController } from '../../electron/main/link/services/remote/remote-controller.ts';
import { FileTransferService } from '../../electron/main/link/services/file-transfer/file-transfer-service.ts';
import type { Session, SessionEvent } from '../../electron/main/link/session.ts';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { TcpServer, type ServerEvent } from '../../electron/main/link/tcp-server.ts';

export const PASSWORD = 'remote-test-password';

/** A fresh folder holding `remote-commands.json` with this content; returns both paths. */
export function commandsFolder(content: unknown): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'msp-remote-'));
  const file = join(dir, 'remote-commands.json');
  writeFileSync(file, JSON.stringify(content, null, 2));
  return { dir, file };
}

export interface RemoteServer {
  port: number;
  host: RemoteControlHost;
  audit: AuditEntry[];
  auditFile: string;
  /** What the server saw: each client's packets (refusals included) and closes. */
  events: ServerEvent[];
  stop(): Promise<void>;
}

export async function startRemoteServer(
  file: string,
  options: { password?: string; allowLegacy?: boolean; confirm?: ConfirmHandler } = {},
): Promise<RemoteServer> {
  const commands = loadCommandsFile(file);
  if (!commands.ok) throw new Error(commands.error);
  const auditFile = `${file}.audit.jsonl`;
  const log = AuditLog.open(auditFile);
  if (!log.ok) throw new Error(log.error);
  const audit: AuditEntry[] = [];
  log.value.onEntry((e) => audit.push(e));
  const host = new RemoteControlHost({ commands: commands.value, audit: log.value, ...(options.confirm ? { confirm: options.confirm } : {}) });
  const password = 'password' in options ? options.password : PASSWORD;
  const { security, version } = buildServerSecurity({ ...(password !== undefined ? { password } : {}), allowLegacy: options.allowLegacy ?? false });
  const events: ServerEvent[] = [];
  const server = new TcpServer({
    host: '127.0.0.1',
    port: 0,
    // get-file and put-file move files by the session's file transfer, which refuses offers of its own (no receive policy).
    session: { autoAck: true, security, version, services: host.usesFileTransfer ? [host.service, () => new FileTransferService()] : [host.service] },
    observer: (e) => events.push(e),
  });
  const started = await server.listen();
  if (!started.ok) throw new Error(started.error.message);
  return {
    port: started.port,
    host,
    audit,
    auditFile,
    events,
    async stop() {
      host.stop();
      await server.stop();
      log.value.close();
    },
  };
}

export interface Controller {
  session: Session;
  controller: RemoteController;
  events: SessionEvent[];
  /** Its file transfer, when asked for: it refuses every offer it did not ask for. */
  transfer?: FileTransferService;
}

/** A client with the controller side; `password` null = plain, `legacy` = msp-secure.py's scheme; `transfer` adds file transfer. */
export async function connectController(port: number, password: string | null = PASSWORD, legacy = false, transfer = false): Promise<Controller> {
  const controller = new RemoteController();
  const transferService = transfer ? new FileTransferService() : undefined;
  const events: SessionEvent[] = [];
  const { security, version } = buildClientSecurity({ ...(password !== null ? { password } : {}), scheme: legacy ? 'legacy' : 'v3', handshakeTimeoutMs: 5000 });
  const connected = await connectTcp({
    host: '127.0.0.1',
    port,
    session: { autoAck: true, security, version, services: transferService ? [() => controller, () => transferService] : [() => controller], observer: (e) => events.push(e) },
  });
  if (!connected.ok) throw new Error(connected.error.message);
  await connected.session.whenReady(); // a v3 handshake first (a wrong password's failure is the test's to check)
  return { session: connected.session, controller, events, ...(transferService ? { transfer: transferService } : {}) };
}

/** Runs a command and collects what came back. */
export async function runCollect(controller: RemoteController, command: string, args: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  let started = false;
  const run = controller.run(command, Object.entries(args), {
    onStarted: () => (started = true),
    onOutput: (stream, bytes) => {
      if (stream === 'stdout') stdout += Buffer.from(bytes).toString();
      else stderr += Buffer.from(bytes).toString();
    },
  });
  const done = await run.done;
  return { done, stdout, stderr, started };
}
