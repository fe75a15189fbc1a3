/**
 * The app's X/Y/ZMODEM tool: one transfer at a time per window, over a serial port or a raw
 * TCP connection, with the same engine as `msp --mode send|receive` (electron/main/modem/).
 * Files to send are the window's uploads (UploadStaging, shared with the Transfers tool);
 * received files go only into the folder the panel names. The port the window's MSP link
 * has open is refused (both would read its bytes), and while a transfer holds a port the
 * MSP link cannot open it either (AppBackend asks portInUse).
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { modemError } from '../../../shared/errors/modem.ts';
import type { EventMessage } from '../../../shared/ipc/contract.ts';
import type { ModemFileView, ModemLineRequest, ModemReceiveRequest, ModemRunView, ModemSendRequest, ModemSnapshot } from '../../../shared/ipc/modem.ts';
import { MODEM_DEFAULTS, type ModemEvent, type ModemProtocol } from '../../../shared/modem/protocols.ts';
import { fail, ok, type AppError, type Result } from '../../../shared/result.ts';
import type { SerialDriver } from '../link/serial-port.ts';
import { checkSerialSettings, describeLine } from '../link/serial-settings.ts';
import { TCP_ZMODEM_WINDOW, openModemLine, type LineTarget, type OpenedLine } from '../modem/open-line.ts';
import { receiveFiles, sendFiles } from '../modem/transfer.ts';
import type { StagedFile, UploadStaging } from './upload-staging.ts';

/** Progress reaches the window at most this often (state changes go at once). */
const UPDATE_INTERVAL_MS = 100;

export interface ModemBackendOptions {
  emit: (message: EventMessage) => void;
  staging: UploadStaging;
  /** Where received files go unless the panel says otherwise (the Transfers tool's folder). */
  receiveFolder: string;
  /** The serial port this window's MSP link has open, if any. */
  mspPort: () => string | undefined;
  serialDriver?: SerialDriver;
  /** Tests shorten the wait for a silent peer. */
  timeoutMs?: number;
}

interface Run {
  view: ModemRunView;
  abort: AbortController;
  /** The serial port it holds, as given. */
  port?: string;
  /** Per file: when it started and from which byte, for the rate. */
  fileStart: { at: number; bytes: number };
  lastEmit: number;
}

export class ModemBackend {
  private run: Run | undefined;
  private nextRunId = 0;
  /** A request is between its checks and its run (it awaits files and the port): a second one waits its turn. */
  private claimed = false;

  constructor(private readonly options: ModemBackendOptions) {}

  snapshot(): ModemSnapshot {
    return { run: this.run?.view ?? null, receiveFolder: this.options.receiveFolder, maxFileSize: MODEM_DEFAULTS.maxFileSize };
  }

  /** Sends staged uploads; answers once the line is open, the transfer runs on (modem.update events). */
  async send(request: ModemSendRequest): Promise<Result<{ runId: number }>> {
    const busy = this.refuseWhileRunning();
    if (busy) {
      await Promise.all(request.uploadIds.map((id) => this.options.staging.drop(id)));
      return busy;
    }
    this.claimed = true;
    try {
      return await this.sendStaged(request);
    } finally {
      this.claimed = false;
    }
  }

  private async sendStaged(request: ModemSendRequest): Promise<Result<{ runId: number }>> {
    const staged: StagedFile[] = [];
    const discard = () => Promise.all(staged.map((file) => file.discard()));
    for (const id of request.uploadIds) {
      const taken = await this.options.staging.take(id);
      if (!taken.ok) {
        await discard();
        return taken;
      }
      staged.push(taken.value);
    }
    const started = await this.start('send', request.protocol, request.line, (line, run) =>
      sendFiles(line.stream, request.protocol, staged.map((file) => file.path), this.runOptions(run, request.line)),
    );
    if (!started.ok) await discard();
    else void started.value.finished.then(discard);
    return started.ok ? ok({ runId: started.value.runId }) : started;
  }

  async receive(request: ModemReceiveRequest): Promise<Result<{ runId: number }>> {
    const busy = this.refuseWhileRunning();
    if (busy) return busy;
    this.claimed = true;
    try {
      return await this.receiveInto(request);
    } finally {
      this.claimed = false;
    }
  }

  private async receiveInto(request: ModemReceiveRequest): Promise<Result<{ runId: number }>> {
    // A relative folder would land wherever the app happened to start: the panel must say where.
    if (!isAbsolute(request.folder)) return fail(modemError('MODEM_ERR_FILE', `"${request.folder}" is not a full path: type the whole path of the folder to receive into.`));
    const policy = { dir: request.folder, overwrite: request.overwrite, maxFileSize: request.maxFileSize };
    const started = await this.start('receive', request.protocol, request.line, (line, run) =>
      receiveFiles(line.stream, request.protocol, policy, this.runOptions(run, request.line), request.xmodemName),
    );
    return started.ok ? ok({ runId: started.value.runId }) : started;
  }

  /** Stops the running transfer; the engine tells the peer with CANs. */
  cancel(): Result<null> {
    if (!this.run || !this.running(this.run)) return fail(modemError('MODEM_ERR_STOPPED', 'No transfer is running.'));
    this.run.abort.abort();
    return ok(null);
  }

  /** Whether a running transfer holds this serial port (so the MSP link must not open it). */
  async portInUse(path: string): Promise<boolean> {
    const port = this.run && this.running(this.run) ? this.run.port : undefined;
    return port !== undefined && (await samePort(port, path));
  }

  dispose(): void {
    this.run?.abort.abort();
  }

  private refuseWhileRunning(): Result<never> | undefined {
    if (this.claimed || (this.run && this.running(this.run))) return fail(modemError('MODEM_ERR_BUSY', 'A transfer is already running: wait for it or cancel it first.'));
    return undefined;
  }

  private running(run: Run): boolean {
    return run.view.state === 'opening' || run.view.state === 'running';
  }

  /** Checks and opens the line, then runs `transfer` on it in the background. */
  private async start(
    direction: 'send' | 'receive',
    protocol: ModemProtocol,
    request: ModemLineRequest,
    transfer: (line: OpenedLine, run: Run) => Promise<Result<unknown, AppError>>,
  ): Promise<Result<{ runId: number; finished: Promise<void> }>> {
    const target = await this.lineTarget(request);
    if (!target.ok) return target;
    const description = target.value.kind === 'serial' ? `${target.value.settings.path} ${describeLine(target.value.settings)}` : `${target.value.host}:${target.value.port}`;
    const run: Run = {
      view: { runId: ++this.nextRunId, direction, protocol, line: description, state: 'opening', files: [] },
      abort: new AbortController(),
      ...(target.value.kind === 'serial' ? { port: target.value.settings.path } : {}),
      fileStart: { at: performance.now(), bytes: 0 },
      lastEmit: 0,
    };
    this.run = run;
    this.update(run, {});
    const opened = await openModemLine(target.value, this.options.serialDriver);
    if (!opened.ok) {
      this.update(run, { state: 'failed', error: opened.error });
      return opened;
    }
    this.update(run, { state: 'running' });
    const finished = (async () => {
      try {
        const result = await transfer(opened.value, run);
        if (result.ok) this.update(run, { state: 'done' });
        else this.update(run, { state: result.error.code === 'MODEM_ERR_STOPPED' ? 'cancelled' : 'failed', error: result.error, files: this.failCurrent(run) });
      } finally {
        await opened.value.close().catch(() => {});
      }
    })();
    return ok({ runId: run.view.runId, finished });
  }

  private async lineTarget(request: ModemLineRequest): Promise<Result<LineTarget>> {
    if (request.kind === 'tcp') return ok({ kind: 'tcp', host: request.host, port: request.port });
    const { kind: _kind, ...line } = request;
    const checked = checkSerialSettings(line);
    if (!checked.ok) return checked;
    const msp = this.options.mspPort();
    if (msp !== undefined && (await samePort(msp, checked.value.path))) {
      return fail(modemError('MODEM_ERR_PORT_IN_USE', `${checked.value.path} is open for this window's MSP link, and both would read its bytes: close the link first (Connection tool) or pick another port.`));
    }
    return ok({ kind: 'serial', settings: checked.value });
  }

  private runOptions(run: Run, line: ModemLineRequest) {
    return {
      signal: run.abort.signal,
      onEvent: (event: ModemEvent) => this.onEvent(run, event),
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(line.kind === 'tcp' ? { window: TCP_ZMODEM_WINDOW } : {}),
    };
  }

  private onEvent(run: Run, event: ModemEvent): void {
    const files = run.view.files;
    const current = files.at(-1);
    const replaceCurrent = (patch: Partial<ModemFileView>) => [...files.slice(0, -1), { ...current!, ...patch }];
    switch (event.kind) {
      case 'file-start':
        run.fileStart = { at: performance.now(), bytes: event.offset };
        return this.update(run, {
          files: [...files, { name: event.name, ...(event.size !== undefined ? { size: event.size } : {}), bytes: event.offset, rateBytesPerSec: 0, retries: 0, state: 'running' }],
        });
      case 'progress': {
        if (!current) return;
        const now = performance.now();
        const seconds = (now - run.fileStart.at) / 1000;
        const rate = seconds > 0 ? (event.bytes - run.fileStart.bytes) / seconds : 0;
        const files = replaceCurrent({ bytes: event.bytes, rateBytesPerSec: Math.max(0, Math.round(rate)), ...(event.size !== undefined ? { size: event.size } : {}) });
        if (now - run.lastEmit < UPDATE_INTERVAL_MS) run.view = { ...run.view, files };
        else this.update(run, { files });
        return;
      }
      case 'retry':
        // Counted quietly; the next progress update shows it.
        if (current) run.view = { ...run.view, files: replaceCurrent({ retries: current.retries + 1 }) };
        return;
      case 'file-done':
        if (!current) return;
        return this.update(run, {
          files: replaceCurrent({
            name: event.name,
            bytes: event.bytes,
            size: current.size ?? event.bytes,
            state: 'done',
            ...(event.path ? { savedAs: event.path } : {}),
            ...(event.changes && event.changes.length > 0 && event.offered !== undefined ? { offeredAs: event.offered } : {}),
          }),
        });
      case 'file-skipped': {
        const row: ModemFileView = { name: event.name, bytes: 0, rateBytesPerSec: 0, retries: 0, state: 'skipped', note: event.reason };
        return this.update(run, { files: current?.state === 'running' && current.name === event.name ? replaceCurrent(row) : [...files, row] });
      }
    }
  }

  /** The file under way when a run fails is failed too. */
  private failCurrent(run: Run): ModemFileView[] {
    const files = run.view.files;
    const current = files.at(-1);
    return current?.state === 'running' ? [...files.slice(0, -1), { ...current, state: 'failed' }] : files;
  }

  private update(run: Run, patch: Partial<ModemRunView>): void {
    run.view = { ...run.view, ...patch };
    run.lastEmit = performance.now();
    this.options.emit({ name: 'modem.update', payload: run.view });
  }
}

/** The same port under two spellings: a socat link and its /dev/pts target, COM3 and com3. */
async function samePort(a: string, b: string): Promise<boolean> {
  const canonical = async (path: string) => {
    const resolved = await realpath(path).catch(() => path);
    return process.platform === 'win32' ? resolved.toLowerCase() : resolved;
  };
  return (await canonical(a)) === (await canonical(b));
}
