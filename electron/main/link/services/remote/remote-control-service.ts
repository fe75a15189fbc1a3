/**
 * Remote control on one session, controlled side (docs/PROTOCOL.md, "Remote control"). It
 * needs an authenticated session: the service table answers UNSUPPORTED (reason 2) on a plain
 * or msp-secure.py link before any of this runs. What may run, and how often, is the host's.
 */
import { PacketType } from '../../../../../shared/msp/index.ts';
import { decodeRun, requestIdOf, type RunRequest } from '../../../../../shared/msp/remote-control.ts';
import type { LinkError } from '../../errors.ts';
import type { Service, ServiceDescriptor, ServiceIo } from '../service.ts';
import type { ActiveController, RemoteControlHost } from './remote-control-host.ts';
import type { RunningCommand } from './run-process.ts';
import { FileTransferService } from '../file-transfer/file-transfer-service.ts';

export const REMOTE_CONTROL_SERVICE: ServiceDescriptor = {
  id: 'remote-control',
  version: 1,
  types: [
    PacketType.RC_LIST_REQUEST,
    PacketType.RC_LIST,
    PacketType.RC_RUN,
    PacketType.RC_STARTED,
    PacketType.RC_OUTPUT,
    PacketType.RC_EXIT,
    PacketType.RC_REFUSED,
    PacketType.RC_CANCEL,
  ],
  needsAuthentication: true,
};

export class RemoteControlService implements Service {
  readonly descriptor = REMOTE_CONTROL_SERVICE;
  private io: ServiceIo | undefined;
  /** Runs of this session by request id; undefined while reserved (being checked or confirmed). */
  private readonly runs = new Map<number, { running: RunningCommand; command: string; cancelled?: boolean } | undefined>();
  private readonly since = Date.now();
  private lastCommand: string | undefined;
  /** Has asked for anything: only then is it shown as "in control". */
  used = false;
  closed = false;

  constructor(
    private readonly host: RemoteControlHost,
    private readonly id: number,
  ) {}

  get peer(): string {
    return this.io?.peer ?? '?';
  }

  attach(io: ServiceIo): void {
    this.io = io;
    this.host.join(this);
  }

  receive(type: number, payload: Uint8Array): void {
    const id = requestIdOf(payload);
    if (id === undefined) return; // not even a request id: nothing to answer to
    this.markUsed();
    if (type === PacketType.RC_LIST_REQUEST) {
      this.host.list(this, id);
    } else if (type === PacketType.RC_RUN) {
      const request: RunRequest | undefined = decodeRun(payload);
      if (request) this.lastCommand = request.command;
      void this.host.run(this, id, request);
    } else if (type === PacketType.RC_CANCEL) {
      const run = this.runs.get(id);
      // Audited once: a flood of cancels for one run is not a flood of log lines.
      if (run && !run.cancelled) {
        run.cancelled = true;
        this.host.audit.write({ peer: this.peer, event: 'cancel', command: run.command });
        run.running.cancel();
      }
    }
    // The controller's own types (RC_LIST, RC_OUTPUT...) sent to us mean nothing here: ignored.
  }

  detach(_reason: LinkError): void {
    this.closed = true;
    this.cancelAll();
    this.host.leave(this);
    this.io = undefined;
  }

  /** This session's file transfer (get-file and put-file move their file with it). */
  fileTransfer(): FileTransferService | undefined {
    const service = this.io?.sibling('file-transfer');
    return service instanceof FileTransferService ? service : undefined;
  }

  send(type: number, payload: Uint8Array): void {
    this.io?.send(type, payload);
  }

  cancelAll(): void {
    for (const run of this.runs.values()) run?.running.cancel();
  }

  isRunning(id: number): boolean {
    return this.runs.has(id);
  }
  reserve(id: number): void {
    this.runs.set(id, undefined);
    this.host.changed();
  }
  track(id: number, running: RunningCommand, command: string): void {
    this.runs.set(id, { running, command });
    // Revoked or disconnected while it was being started: stop it at once.
    if (this.closed) running.cancel();
  }
  release(id: number): void {
    this.runs.delete(id);
    this.host.changed();
  }

  summary(): ActiveController {
    return { id: this.id, peer: this.peer, since: this.since, running: this.runs.size, ...(this.lastCommand ? { lastCommand: this.lastCommand } : {}) };
  }

  private markUsed(): void {
    if (this.used) return;
    this.used = true;
    this.host.changed();
  }
}
