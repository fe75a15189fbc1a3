/**
 * Remote control on one session, controller side: asks the peer for its commands, runs one
 * and hears its output and exit, cancels it. It refuses before asking when the session is not
 * password-authenticated, saying why, since the peer would refuse anyway (UNSUPPORTED reason 2).
 */
import { PacketType, UnsupportedReason } from '../../../../../shared/msp/index.ts';
import {
  decodeExit,
  decodeList,
  decodeOutput,
  decodeRefused,
  encodeIdOnly,
  encodeRun,
  requestIdOf,
  type OfferedCommand,
  type OutputStreamName,
  type RunExit,
} from '../../../../../shared/msp/remote-control.ts';
import { refusalCodeOf, type RemoteErrorCode } from '../../../../../shared/errors/remote.ts';
import { REMOTE_LIMITS } from '../../../../../shared/limits.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import type { LinkError } from '../../errors.ts';
import type { Service, ServiceDescriptor, ServiceIo } from '../service.ts';
import type { Unsupported } from '../discovery-service.ts';
import { REMOTE_CONTROL_SERVICE } from './remote-control-service.ts';
import { FileTransferService } from '../file-transfer/file-transfer-service.ts';

export interface RemoteError {
  code: RemoteErrorCode;
  message: string;
}

export interface RunHandlers {
  onStarted?(): void;
  onOutput?(stream: OutputStreamName, bytes: Uint8Array): void;
}

export interface RemoteRun {
  id: number;
  /** The exit, or why it never ran (refused, not authenticated, the session ended). */
  done: Promise<Result<RunExit, RemoteError>>;
  cancel(): void;
}

/** The controller claims the same TYPEs under its own id: a session is one side or the other. */
export const REMOTE_CONTROLLER_SERVICE: ServiceDescriptor = { ...REMOTE_CONTROL_SERVICE, id: 'remote-controller' };

/** How long the first answer to a run may take: the peer's user may be asked to confirm it. */
const FIRST_ANSWER_MS = REMOTE_LIMITS.confirmTimeoutMs + 10_000;

type Waiter = {
  kind: 'list' | 'run';
  settle(result: Result<unknown, RemoteError>): void;
  handlers?: RunHandlers;
  timer?: NodeJS.Timeout;
};

export class RemoteController implements Service {
  readonly descriptor = REMOTE_CONTROLLER_SERVICE;
  private io: ServiceIo | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private stopListening: (() => void) | undefined;

  attach(io: ServiceIo): void {
    this.io = io;
    this.stopListening = io.onUnsupported?.((u) => this.onUnsupported(u));
  }

  /** This session's file transfer: get-file's file comes, put-file's goes, by it. */
  fileTransfer(): FileTransferService | undefined {
    const service = this.io?.sibling('file-transfer');
    return service instanceof FileTransferService ? service : undefined;
  }

  /** Why this session cannot be used for remote control, before asking the peer; undefined when it can. */
  unavailable(): RemoteError | undefined {
    if (!this.io) return { code: 'REMOTE_ERR_CLOSED', message: 'The session is not open.' };
    if (!this.io.authenticated) {
      return {
        code: 'REMOTE_ERR_NEEDS_AUTHENTICATION',
        message: 'Remote control needs a password-authenticated session (MSP v3 with a password): this link is plain or msp-secure.py\'s scheme, so the peer refuses every request.',
      };
    }
    return undefined;
  }

  /** The commands the peer allows. */
  list(timeoutMs: number): Promise<Result<OfferedCommand[], RemoteError>> {
    return this.request('list', PacketType.RC_LIST_REQUEST, (id) => encodeIdOnly(id), timeoutMs) as Promise<Result<OfferedCommand[], RemoteError>>;
  }

  /** Runs `command` with `args` (name, value) on the peer. */
  run(command: string, args: Array<[string, string]>, handlers: RunHandlers = {}): RemoteRun {
    let id = 0;
    const done = this.request('run', PacketType.RC_RUN, (given) => encodeRun((id = given), { command, args }), FIRST_ANSWER_MS, handlers) as Promise<
      Result<RunExit, RemoteError>
    >;
    return {
      get id() {
        return id;
      },
      done,
      cancel: () => {
        if (id && this.waiting.has(id)) this.io?.send(PacketType.RC_CANCEL, encodeIdOnly(id));
      },
    };
  }

  receive(type: number, payload: Uint8Array): void {
    const id = requestIdOf(payload);
    const waiter = id === undefined ? undefined : this.waiting.get(id);
    if (id === undefined || !waiter) return; // not ours, or already settled
    const bad = () => this.settle(id, fail({ code: 'REMOTE_ERR_BAD_REPLY', message: `${this.io?.peer ?? 'The peer'} sent a malformed remote-control reply.` }));
    switch (type) {
      case PacketType.RC_LIST: {
        if (waiter.kind !== 'list') return bad();
        const commands = decodeList(payload);
        return commands ? this.settle(id, ok(commands)) : bad();
      }
      case PacketType.RC_STARTED:
        if (waiter.kind !== 'run') return bad();
        clearTimeout(waiter.timer); // it runs: the peer's own timeout bounds it now
        return waiter.handlers?.onStarted?.();
      case PacketType.RC_OUTPUT: {
        const output = decodeOutput(payload);
        if (!output || waiter.kind !== 'run') return bad();
        return waiter.handlers?.onOutput?.(output.stream, output.bytes);
      }
      case PacketType.RC_EXIT: {
        const exit = decodeExit(payload);
        return exit && waiter.kind === 'run' ? this.settle(id, ok(exit)) : bad();
      }
      case PacketType.RC_REFUSED: {
        const refused = decodeRefused(payload);
        const code = refused && refusalCodeOf(refused.code);
        return refused && code ? this.settle(id, fail({ code, message: refused.message })) : bad();
      }
    }
  }

  detach(reason: LinkError): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, fail({ code: 'REMOTE_ERR_CLOSED', message: reason.message }));
    this.stopListening?.();
    this.io = undefined;
  }

  private request(kind: Waiter['kind'], type: number, body: (id: number) => Uint8Array, timeoutMs: number, handlers?: RunHandlers) {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.resolve(fail(unavailable));
    const io = this.io as ServiceIo;
    const id = this.nextId++;
    return new Promise<Result<unknown, RemoteError>>((resolve) => {
      const timer = setTimeout(
        () => this.settle(id, fail({ code: 'REMOTE_ERR_TIMEOUT', message: `${io.peer} did not answer the remote-control request within ${timeoutMs / 1000} s.` })),
        timeoutMs,
      );
      this.waiting.set(id, { kind, settle: resolve, timer, ...(handlers ? { handlers } : {}) });
      const sent = io.send(type, body(id));
      if (!sent.ok) this.settle(id, fail({ code: 'REMOTE_ERR_CLOSED', message: sent.error.message }));
    });
  }

  private settle(id: number, result: Result<unknown, RemoteError>): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    clearTimeout(waiter.timer);
    waiter.settle(result);
  }

  /** The peer has no remote control, or refuses it on this session: every request waiting ends, saying which. */
  private onUnsupported(u: Unsupported): void {
    if (u.type < PacketType.RC_LIST_REQUEST || u.type > PacketType.RC_CANCEL) return;
    const error: RemoteError =
      u.reason === UnsupportedReason.NEEDS_AUTHENTICATION
        ? { code: 'REMOTE_ERR_NEEDS_AUTHENTICATION', message: `${this.io?.peer ?? 'The peer'} refuses remote control on a session without a password (MSP v3).` }
        : { code: 'REMOTE_ERR_NOT_OFFERED', message: `${this.io?.peer ?? 'The peer'} does not offer remote control (it was started without a commands file).` };
    for (const id of [...this.waiting.keys()]) this.settle(id, fail(error));
  }
}
