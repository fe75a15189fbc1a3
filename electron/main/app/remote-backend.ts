/**
 * Remote control in the desktop app (README "Remote control"), both roles. As a client, each
 * session gets a RemoteController: the panel lists the server's commands and runs them, output
 * and end sent as events. As a server with a commands file chosen in the panel, each client's
 * session gets the controlled side: who is in control, one-click revoke, and confirm-first
 * commands asked of the local user. Plain Node, like AppBackend.
 */
import { dirname, join } from 'node:path';
import type { EventMessage } from '../../../shared/ipc/contract.ts';
import type { OfferedCommand, RemoteConfirmAsk, RemoteHostState, RemotePutRequest, RemoteRunRequest } from '../../../shared/ipc/remote.ts';
import { REMOTE_LIMITS } from '../../../shared/limits.ts';
import { appError, fail, ok, type Result } from '../../../shared/result.ts';
import type { Service } from '../link/services/service.ts';
import type { LinkServiceRequest } from './links/app-link.ts';
import { AuditLog } from '../link/services/remote/audit-log.ts';
import { loadCommandsFile } from '../link/services/remote/commands-loader.ts';
import { RemoteControlHost, type ConfirmRequest } from '../link/services/remote/remote-control-host.ts';
import { RemoteController, type RunHandlers } from '../link/services/remote/remote-controller.ts';
import { fileRunVerified, getFile, putFile, type FileRun } from '../link/services/remote/remote-files.ts';
import { ReceiveFolder } from '../link/services/file-transfer/receive-folder.ts';
import type { ReceiveDecision } from '../link/services/file-transfer/file-transfer-service.ts';
import { RefuseReason } from '../../../shared/msp/file-transfer.ts';

/** What get-file and put-file need of the Transfers tool (TransferHub): where a got file lands, a file the window staged. */
export interface RemoteFileHost {
  readonly receiveFolder: string;
  takeUpload(uploadId: string): Promise<Result<{ path: string; discard(): void }>>;
}

/** The audit log of the app as a controlled machine: beside settings.json. */
export const APP_AUDIT_LOG = 'remote-audit.jsonl';

export class RemoteBackend {
  private controller: RemoteController | undefined;
  private readonly runs = new Map<number, { cancel(): void }>();
  private nextRunId = 1;
  private host: { host: RemoteControlHost; audit: AuditLog; file: string; unsubscribe: () => void } | undefined;
  private readonly confirms = new Map<number, RemoteConfirmAsk & { answer(allow: boolean): void }>();
  private nextConfirmId = 1;

  constructor(
    private readonly emit: (message: EventMessage) => void,
    private readonly settingsFile: string,
    private readonly files?: RemoteFileHost,
  ) {}

  /** A client's session carries the controller; a server's sessions the controlled side, once a commands file is loaded. */
  services = (link: LinkServiceRequest): ReadonlyArray<() => Service> => {
    if (link.role === 'client') {
      return [
        () => {
          this.controller = new RemoteController();
          return this.controller;
        },
      ];
    }
    return this.host ? [this.host.host.service] : [];
  };

  // ---- controller ----

  async list(): Promise<Result<OfferedCommand[]>> {
    const controller = this.controller;
    if (!controller) return fail(appError('REMOTE_ERR_CLOSED', 'Connect to a server as a client first.'));
    const listed = await controller.list(10_000);
    return listed.ok ? listed : fail(appError(listed.error.code, listed.error.message));
  }

  run(request: RemoteRunRequest): Result<{ runId: number }> {
    const controller = this.controller;
    if (!controller) return fail(appError('REMOTE_ERR_CLOSED', 'Connect to a server as a client first.'));
    const unavailable = controller.unavailable();
    if (unavailable) return fail(appError(unavailable.code, unavailable.message));
    const runId = this.nextRunId++;
    const handlers = this.outputTo(runId);
    if (request.command === 'get-file' && this.files) return this.getFile(controller, runId, request.args, handlers);
    const run = controller.run(request.command, request.args, handlers);
    this.runs.set(runId, run);
    void run.done.then((done) => {
      this.runs.delete(runId);
      this.emit({ name: 'remote.end', payload: done.ok ? { runId, exit: done.value } : { runId, error: appError(done.error.code, done.error.message) } });
    });
    return ok({ runId });
  }

  /** put-file of a file the window staged (transfer.uploadStart/uploadChunk): it shows in the Transfers list as it goes. */
  async putFile(request: RemotePutRequest): Promise<Result<{ runId: number }>> {
    const controller = this.controller;
    if (!controller || !this.files) return fail(appError('REMOTE_ERR_CLOSED', 'Connect to a server as a client first.'));
    const unavailable = controller.unavailable();
    if (unavailable) return fail(appError(unavailable.code, unavailable.message));
    const staged = await this.files.takeUpload(request.uploadId);
    if (!staged.ok) return staged;
    const runId = this.nextRunId++;
    const handlers = this.outputTo(runId);
    const run = putFile(controller, staged.value.path, request.name, handlers);
    this.endFileRun(runId, run, 'put');
    void run.done.finally(() => staged.value.discard());
    return ok({ runId });
  }

  /** get-file: the file lands in the Transfers tool's receive folder and shows in its list. */
  private getFile(controller: RemoteController, runId: number, args: Array<[string, string]>, handlers: Required<Pick<RunHandlers, 'onOutput'>>): Result<{ runId: number }> {
    const name = args.find(([key]) => key === 'name')?.[1] ?? '';
    const folder = (this.files as RemoteFileHost).receiveFolder;
    const run = getFile(
      controller,
      name,
      async (): Promise<ReceiveDecision> => {
        const opened = await ReceiveFolder.open({ dir: folder });
        return opened.ok ? { folder: opened.value } : { refuse: RefuseReason.IO_ERROR };
      },
      handlers,
    );
    this.endFileRun(runId, run, 'get', folder);
    return ok({ runId });
  }

  /** The run's end; a file run's also says, as data, what became of its file here. */
  private endFileRun(runId: number, run: FileRun, how: 'get' | 'put', folder?: string): void {
    this.runs.set(runId, run);
    void run.done.then((done) => {
      this.runs.delete(runId);
      if (!done.ok) return this.emit({ name: 'remote.end', payload: { runId, error: appError(done.error.code, done.error.message) } });
      const { exit, file, error } = done.value;
      // The peer said 0 but the file did not verify here: not a success.
      if (exit.exitCode === 0 && !file) {
        const why = error ? appError(error.code, error.message) : appError('REMOTE_ERR_FILE', 'The file did not arrive.');
        return this.emit({ name: 'remote.end', payload: { runId, error: why } });
      }
      const saved = fileRunVerified(done.value) && file ? { file: { direction: how, ...file, ...(folder !== undefined ? { folder } : {}) } } : {};
      const failed = !saved.file && error ? { fileError: appError(error.code, error.message) } : {};
      this.emit({ name: 'remote.end', payload: { runId, exit, ...saved, ...failed } });
    });
  }

  private outputTo(runId: number): Required<Pick<RunHandlers, 'onOutput'>> {
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    return {
      onOutput: (stream, bytes) => this.emit({ name: 'remote.output', payload: { runId, stream, text: decoders[stream].decode(bytes, { stream: true }) } }),
    };
  }

  cancel(runId: number): Result<null> {
    this.runs.get(runId)?.cancel();
    return ok(null);
  }

  // ---- controlled side ----

  state(): RemoteHostState {
    const host = this.host;
    return {
      commandsFile: host?.file ?? null,
      auditLog: host ? (host.audit.path ?? null) : null,
      commands: host ? host.host.offered().map((c) => c.name) : [],
      controllers: host ? host.host.controllers().map(({ peer, since, running, lastCommand }) => ({ peer, since, running, ...(lastCommand ? { lastCommand } : {}) })) : [],
      confirms: [...this.confirms.values()].map(({ answer: _answer, ...ask }) => ask),
    };
  }

  /** Loads a commands file for the next server started; a missing or invalid one is an error naming the field. */
  useCommands(path: string): Result<RemoteHostState> {
    const commands = loadCommandsFile(path);
    if (!commands.ok) return fail(appError('REMOTE_ERR_COMMANDS_FILE', commands.error));
    const audit = AuditLog.open(join(dirname(this.settingsFile), APP_AUDIT_LOG));
    if (!audit.ok) return fail(appError('REMOTE_ERR_COMMANDS_FILE', audit.error));
    this.stopCommands();
    const host = new RemoteControlHost({ commands: commands.value, audit: audit.value, confirm: (request) => this.askLocalUser(request) });
    const unsubscribe = host.onChange(() => this.changed());
    this.host = { host, audit: audit.value, file: commands.value.path, unsubscribe };
    return ok(this.changed());
  }

  /** Remote control off: running commands are stopped; a server started later offers none. */
  stopCommands(): Result<RemoteHostState> {
    const host = this.host;
    if (host) {
      host.host.stop();
      host.unsubscribe();
      host.audit.close();
      this.host = undefined;
      for (const ask of this.confirms.values()) ask.answer(false);
    }
    return ok(this.changed());
  }

  revoke(peer: string): Result<RemoteHostState> {
    this.host?.host.revoke(peer);
    for (const ask of [...this.confirms.values()]) if (ask.peer === peer) ask.answer(false);
    return ok(this.changed());
  }

  answer(confirmId: number, allow: boolean): Result<RemoteHostState> {
    const ask = this.confirms.get(confirmId);
    if (!ask) return fail(appError('REMOTE_ERR_NOT_CONFIRMED', 'That question was already answered or timed out.'));
    ask.answer(allow);
    return ok(this.state());
  }

  dispose(): void {
    for (const run of this.runs.values()) run.cancel();
    this.stopCommands();
  }

  private askLocalUser(request: ConfirmRequest): Promise<boolean> {
    return new Promise((resolve) => {
      const confirmId = this.nextConfirmId++;
      const timer = setTimeout(() => answer(false), REMOTE_LIMITS.confirmTimeoutMs);
      const answer = (allow: boolean) => {
        clearTimeout(timer);
        if (!this.confirms.delete(confirmId)) return;
        this.changed();
        resolve(allow);
      };
      this.confirms.set(confirmId, { confirmId, ...request, answer });
      this.changed();
    });
  }

  private changed(): RemoteHostState {
    const state = this.state();
    this.emit({ name: 'remote.host', payload: state });
    return state;
  }
}

