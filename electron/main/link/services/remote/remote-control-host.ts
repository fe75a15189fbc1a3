/**
 * The controlled side of remote control, for one server: what its owner allowed (the commands
 * file), and the state every client's session shares: the rate limit per peer address, the cap
 * on commands running at once, the audit log, who is in control now, who was revoked, and who
 * confirms confirm-first commands. Each session gets a RemoteControlService that asks it.
 */
import { PacketType } from '../../../../../shared/msp/index.ts';
import { type OfferedCommand, type RunExit, encodeExit, encodeIdOnly, encodeList, encodeOutput, encodeRefused, type RunRequest } from '../../../../../shared/msp/remote-control.ts';
import { RemoteRefusal, type RemoteRefusalCode } from '../../../../../shared/errors/remote.ts';
import { addressGroup } from '../../address-group.ts';
import type { Service } from '../service.ts';
import { buildArgv, checkArguments } from './arguments.ts';
import type { AuditLog } from './audit-log.ts';
import { builtinsOf, runBuiltin, type Builtin } from './builtins.ts';
import type { LoadedCommand, LoadedCommands } from './commands-loader.ts';
import { PeerRateLimiter } from './rate-limit.ts';
import { RemoteControlService } from './remote-control-service.ts';
import { runProcess, type RunningCommand } from './run-process.ts';
import { REMOTE_LIMITS } from '../../../../../shared/limits.ts';

/** What the local user is asked before a confirm-first command runs. */
export interface ConfirmRequest {
  peer: string;
  command: string;
  description: string;
  args: Record<string, string>;
}

/** Answers true to run it. Left out: confirm-first commands are refused, saying why. */
export type ConfirmHandler = (request: ConfirmRequest) => Promise<boolean>;

export interface RemoteControlHostOptions {
  commands: LoadedCommands;
  audit: AuditLog;
  confirm?: ConfirmHandler;
  /** Why there is no one to confirm (shown in the refusal when `confirm` is left out). */
  noConfirmReason?: string;
}

/** A session that has used remote control, as the controlled side's panel shows it. */
export interface ActiveController {
  id: number;
  peer: string;
  since: number;
  running: number;
  lastCommand?: string;
}

let lastSessionId = 0;

export class RemoteControlHost {
  private readonly limiter: PeerRateLimiter;
  private readonly builtins: Builtin[];
  private readonly sessions = new Set<RemoteControlService>();
  private readonly revoked = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private running = 0;

  constructor(private readonly options: RemoteControlHostOptions) {
    this.limiter = new PeerRateLimiter(options.commands.runsPerMinute);
    this.builtins = builtinsOf(options.commands.builtins);
  }

  /** The factory a server's SessionOptions.services takes. */
  readonly service = (): Service => new RemoteControlService(this, ++lastSessionId);

  get audit(): AuditLog {
    return this.options.audit;
  }

  /** What a controller sees in RC_LIST. */
  offered(): OfferedCommand[] {
    const own = this.options.commands.commands.map<OfferedCommand>((c) => ({
      name: c.name,
      description: c.description,
      params: c.params.map((p) => (p.type === 'file' ? { name: p.name, description: p.description, type: 'file' as const } : { ...p })),
      confirm: c.confirm,
      timeoutSeconds: c.timeoutSeconds,
      maxOutputBytes: c.maxOutputBytes,
      builtin: false,
    }));
    return [...this.builtins.map((b) => b.offered), ...own];
  }

  /** get-file or put-file is on: each session needs a file transfer service to carry the file. */
  get usesFileTransfer(): boolean {
    const files = this.options.commands.builtins.files;
    return files !== undefined && (files.get || files.put);
  }

  /** Sessions that have used remote control and are still connected. */
  controllers(): ActiveController[] {
    return [...this.sessions].filter((s) => s.used).map((s) => s.summary());
  }

  /** Called when who is in control changes (the panel redraws). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One click: this peer's address may run nothing more (until the host is made again); its runs are stopped. */
  revoke(peer: string): void {
    const address = peerAddress(peer);
    this.revoked.add(address);
    this.options.audit.write({ peer, event: 'revoke' });
    for (const session of this.sessions) if (peerAddress(session.peer) === address) session.cancelAll();
    this.changed();
  }

  /** The server stops: every run is stopped. */
  stop(): void {
    for (const session of this.sessions) session.cancelAll();
    for (const builtin of this.builtins) builtin.stop?.();
  }

  /** @internal RemoteControlService's calls. */
  join(session: RemoteControlService): void {
    this.sessions.add(session);
  }
  leave(session: RemoteControlService): void {
    if (this.sessions.delete(session) && session.used) this.changed();
  }
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** One RC_LIST_REQUEST: it counts against the peer's requests per minute like a run (each costs a list and a log line). */
  list(session: RemoteControlService, id: number): void {
    const peer = session.peer;
    if (this.revoked.has(peerAddress(peer)) || !this.limiter.take(peerAddress(peer))) {
      const revoked = this.revoked.has(peerAddress(peer));
      const code: RemoteRefusalCode = revoked ? 'REMOTE_ERR_REVOKED' : 'REMOTE_ERR_RATE_LIMITED';
      const reason = revoked ? 'Remote control was revoked for this peer by the controlled machine\'s user.' : `Too many requests: at most ${this.options.commands.runsPerMinute} a minute from one address.`;
      this.options.audit.write({ peer, event: 'refused', code, reason });
      session.send(PacketType.RC_REFUSED, encodeRefused(id, RemoteRefusal[code], reason));
      return;
    }
    this.options.audit.write({ peer, event: 'list' });
    session.send(PacketType.RC_LIST, encodeList(id, this.offered()));
  }

  /**
   * One RC_RUN: checked in this order (each refusal audited, with its reason): revoked, rate
   * limit (every attempt counts), well-formed, known command, arguments, room to run, the local
   * user's confirmation. Then it runs, its output streamed and its end audited.
   */
  async run(session: RemoteControlService, id: number, request: RunRequest | undefined): Promise<void> {
    const peer = session.peer;
    const refuse = (code: RemoteRefusalCode, reason: string, command?: string) => {
      this.options.audit.write({ peer, event: 'refused', ...(command ? { command } : {}), code, reason });
      session.send(PacketType.RC_REFUSED, encodeRefused(id, RemoteRefusal[code], reason));
    };
    if (this.revoked.has(peerAddress(peer))) return refuse('REMOTE_ERR_REVOKED', 'Remote control was revoked for this peer by the controlled machine\'s user.', request?.command);
    if (!this.limiter.take(peerAddress(peer))) {
      return refuse('REMOTE_ERR_RATE_LIMITED', `Too many requests: at most ${this.options.commands.runsPerMinute} a minute from one address.`, request?.command);
    }
    if (!request) return refuse('REMOTE_ERR_BAD_REQUEST', 'The run request is malformed.');
    const args = Object.fromEntries(request.args.map(([k, v]) => [k, v.slice(0, 200)]));
    this.options.audit.write({ peer, event: 'request', command: request.command, args });
    const builtin = this.builtins.find((b) => b.offered.name === request.command);
    const command = this.options.commands.commands.find((c) => c.name === request.command);
    if (!builtin && !command) return refuse('REMOTE_ERR_UNKNOWN_COMMAND', `"${request.command}" is not an allowed command here.`, request.command);
    const checked = checkArguments(builtin ? builtin.params : (command as LoadedCommand).params, request.args);
    if (!checked.ok) return refuse('REMOTE_ERR_BAD_ARGUMENT', checked.error, request.command);
    if (session.isRunning(id)) return refuse('REMOTE_ERR_BAD_REQUEST', `Request ${id} is already running.`, request.command);
    if (this.running >= this.options.commands.maxConcurrent) {
      return refuse('REMOTE_ERR_BUSY', `${this.running} commands are already running (at most ${this.options.commands.maxConcurrent} at once); try again when one ends.`, request.command);
    }
    this.running++;
    session.reserve(id);
    try {
      if (command?.confirm) {
        const confirmed = await this.confirm({ peer, command: command.name, description: command.description, args });
        if (confirmed !== true) return refuse('REMOTE_ERR_NOT_CONFIRMED', confirmed || 'The controlled machine\'s user declined to run it.', request.command);
        if (session.closed || this.revoked.has(peerAddress(peer))) return refuse('REMOTE_ERR_REVOKED', 'Remote control was revoked while the user was asked.', request.command);
      }
      const onOutput = (stream: 'stdout' | 'stderr', bytes: Uint8Array) => session.send(PacketType.RC_OUTPUT, encodeOutput(id, stream, bytes));
      const running: RunningCommand = builtin
        ? runBuiltin(builtin, checked.value, { peer, audit: this.options.audit, fileTransfer: () => session.fileTransfer() }, onOutput)
        : runProcess({
            argv: buildArgv((command as LoadedCommand).argv, checked.value),
            cwd: (command as LoadedCommand).cwd,
            timeoutMs: (command as LoadedCommand).timeoutSeconds * 1000,
            maxOutputBytes: (command as LoadedCommand).maxOutputBytes,
            onOutput,
          });
      session.track(id, running, request.command);
      const notStarted = await running.started;
      if (notStarted) {
        await running.done;
        return refuse('REMOTE_ERR_START_FAILED', `Could not start ${request.command}: ${notStarted}`, request.command);
      }
      this.options.audit.write({ peer, event: 'started', command: request.command, args });
      session.send(PacketType.RC_STARTED, encodeIdOnly(id));
      const exit: RunExit = await running.done;
      this.options.audit.write({ peer, event: 'exit', command: request.command, args, ...exit });
      session.send(PacketType.RC_EXIT, encodeExit(id, exit));
    } finally {
      this.running--;
      session.release(id);
    }
  }

  /** The local user's answer: true, or why not (no one to ask, declined, no answer in time). */
  private async confirm(request: ConfirmRequest): Promise<true | string> {
    const ask = this.options.confirm;
    if (!ask) return this.options.noConfirmReason ?? 'This command needs the controlled machine\'s user to confirm it, and nobody is there to ask.';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('Nobody confirmed it on the controlled machine in time.'), REMOTE_LIMITS.confirmTimeoutMs);
    });
    try {
      const answer = await Promise.race([ask(request).then((yes) => (yes ? (true as const) : 'The controlled machine\'s user declined to run it.')), timeout]);
      return answer;
    } catch {
      return 'The confirmation could not be asked.';
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The address part of a peer ("127.0.0.1:5000" -> "127.0.0.1", "[::1]:5000" -> its /64), the key of the rate limit and of revoke. */
export function peerAddress(peer: string): string {
  const bracketed = /^\[(.+)\]:\d+$/.exec(peer);
  if (bracketed) return addressGroup(bracketed[1]);
  const plain = /^([^:]+):\d+$/.exec(peer);
  return plain ? addressGroup(plain[1]) : peer;
}
