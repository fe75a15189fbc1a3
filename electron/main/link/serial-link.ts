/**
 * One serial port carrying MSP: opens it, runs a Session over it (a responder that
 * ACKs, or a sender), reports its state with the reason for every change, and, when
 * asked, reopens it after an unplug. The app's serial panel and the CLI's --serial
 * modes both drive this.
 */
import { fail, ok, type Result } from '../../../shared/result.ts';
import { linkError, type LinkError } from './errors.ts';
import { serialDisconnectError } from './serial-errors.ts';
import {
  closePort,
  openSerialPort,
  readModemStatus,
  setModemLines,
  systemSerialDriver,
  type ModemStatus,
  type PortStream,
  type SerialDriver,
} from './serial-port.ts';
import { checkSerialSettings, type SerialSettings } from './serial-settings.ts';
import { Session, type SendResult, type SessionEvent, type SessionOptions } from './session.ts';
import { checkDataPacketSize, type WireProtection } from './wire-size.ts';

/**
 * closed: not open, by choice (or the last open failed: see `error`).
 * disconnected: it was open and went away (see `error`); `reopening` says whether we wait for it.
 */
export type SerialLinkState = 'closed' | 'opening' | 'open' | 'disconnected';

export type SerialLinkEvent =
  | { kind: 'state'; path: string; at: number; state: SerialLinkState; error?: LinkError; reopening?: boolean }
  | { kind: 'session'; path: string; event: SessionEvent };

export interface SerialLinkOptions {
  /** Checked again by open(), so anything a form or a message sends is safe to pass. */
  settings: SerialSettings;
  /** autoAck: true for a responder; maxPacketSize and packetGapMs usually come from a preset. */
  session: Omit<SessionOptions, 'peer' | 'observer' | 'onFrameTimeout'>;
  /** After an unplug, try to open the port again every reopenIntervalMs until it is back. */
  reopen?: boolean;
  reopenIntervalMs?: number;
  observer?: (event: SerialLinkEvent) => void;
  /** Tests pass serialport's SerialPortMock here. */
  driver?: SerialDriver;
  /**
   * A responder: when a session ends for a protocol reason (a wrong password, a rejected
   * packet) while the port is fine, start a fresh session on it. On a serial line the next
   * attempt comes over the same wire; closing the port would let one bad peer stop us.
   */
  renewSessionOnFailure?: boolean;
}

const DEFAULT_REOPEN_INTERVAL_MS = 1000;

export class SerialLink {
  readonly path: string;
  private settings: SerialSettings;
  private currentState: SerialLinkState = 'closed';
  private lastError: LinkError | undefined;
  private port: PortStream | undefined;
  private currentSession: Session | undefined;
  /** The user wants the port open: open() was called and close() not since. */
  private wanted = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  /** Settles once the previous port is closed: its lock must be gone before we open it again. */
  private portClosed: Promise<void> = Promise.resolve();

  constructor(private readonly options: SerialLinkOptions) {
    this.settings = options.settings;
    this.path = options.settings.path;
  }

  get state(): SerialLinkState {
    return this.currentState;
  }

  /** Why the link is closed or disconnected, when it was not the user's choice. */
  get error(): LinkError | undefined {
    return this.lastError;
  }

  /** The Session while the port is open (for stats, auto-ACK, raw sends); undefined otherwise. */
  get session(): Session | undefined {
    return this.currentSession;
  }

  async open(): Promise<Result<void, LinkError>> {
    if (this.currentState === 'open' || this.currentState === 'opening') return ok(undefined);
    const checked = checkSerialSettings(this.settings);
    if (!checked.ok) {
      this.setState('closed', checked.error);
      return checked;
    }
    this.settings = checked.value;
    this.wanted = true;
    clearTimeout(this.reopenTimer);
    this.setState('opening');
    const result = await this.tryOpen();
    // A close() during the open has already said 'closed'.
    if (!result.ok && this.wanted) {
      this.wanted = false;
      this.setState('closed', result.error);
    }
    return result;
  }

  /** Closes the port (and stops any reopening); resolves once the port is released. */
  async close(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.reopenTimer);
    if (this.currentSession) this.currentSession.close();
    else if (this.currentState !== 'closed') this.setState('closed');
    await this.portClosed;
  }

  /** Sends one message as DATA and resolves when its ACK comes (or not); see Session.sendMessage. */
  sendMessage(payload: Uint8Array): Promise<SendResult> {
    const session = this.currentSession;
    if (!session) return Promise.resolve({ ok: false, error: this.notOpenError() });
    const fits = this.checkMessageSize(payload);
    if (!fits.ok) return Promise.resolve({ ok: false, error: fits.error });
    return session.sendMessage(payload);
  }

  /**
   * Whether a message fits this link's largest packet once it is on the wire (framed, and
   * encrypted or sealed as this session will send it). The app checks before a repeat starts.
   */
  checkMessageSize(payload: Uint8Array): Result<null, LinkError> {
    const max = this.options.session.maxPacketSize;
    if (max === undefined) return ok(null);
    return checkDataPacketSize(payload.length, this.wireProtection(), max);
  }

  /** As the session's channel will protect our next DATA; with no session (port closed), the worst case. */
  private wireProtection(): WireProtection {
    return this.currentSession?.wireProtection ?? 'unsettled';
  }

  /** Switches DTR and/or RTS; the choice is kept and applied again on every reopen. */
  async setSignals(lines: { dtr?: boolean; rts?: boolean }): Promise<Result<void, LinkError>> {
    const checked = checkSerialSettings({ ...this.settings, ...lines });
    if (!checked.ok) return checked;
    const port = this.port;
    if (!port) return fail(this.notOpenError());
    const result = await setModemLines(port, this.path, { dtr: checked.value.dtr ?? true, rts: checked.value.rts ?? true });
    if (result.ok) this.settings = checked.value;
    return result;
  }

  /** Reads CTS, DSR and DCD. */
  readSignals(): Promise<Result<ModemStatus, LinkError>> {
    if (!this.port) return Promise.resolve(fail(this.notOpenError()));
    return readModemStatus(this.port, this.path);
  }

  private async tryOpen(): Promise<Result<void, LinkError>> {
    await this.portClosed;
    const opened = await openSerialPort(this.settings, this.options.driver ?? systemSerialDriver);
    if (!opened.ok) return opened;
    if (!this.wanted) {
      await closePort(opened.value);
      return fail(linkError('LINK_ERR_CLOSED', `Serial port ${this.path} was closed before it finished opening.`));
    }
    this.attach(opened.value);
    this.setState('open');
    return ok(undefined);
  }

  private attach(port: PortStream): void {
    this.port = port;
    // These run before the Session's own listeners (registered in its constructor), so
    // an unplug closes the Session with the reason rather than as a plain close.
    port.on('close', (error?: Error | null) => {
      if (error) this.currentSession?.close(serialDisconnectError(error, this.path));
    });
    port.on('error', (error: Error) => {
      if (!port.isOpen) this.currentSession?.close(serialDisconnectError(error, this.path));
    });
    this.startSession(port);
  }

  private startSession(port: PortStream): void {
    this.currentSession = new Session(port, {
      ...this.options.session,
      peer: this.path,
      // Line noise mid-frame is normal on a serial line: give up on the frame, keep the port.
      onFrameTimeout: 'resync',
      keepStreamOnClose: true,
      observer: (event) => {
        this.options.observer?.({ kind: 'session', path: this.path, event });
        if (event.kind === 'closed') this.onSessionClosed(port, event.error);
      },
    });
  }

  private onSessionClosed(port: PortStream, error: LinkError | undefined): void {
    if (this.port !== port) return;
    if (this.options.renewSessionOnFailure && this.wanted && port.isOpen && error && !isPortError(error)) {
      this.startSession(port);
      return;
    }
    this.port = undefined;
    this.currentSession = undefined;
    // Session.close() destroys the stream, which does not release serialport's file handle.
    this.portClosed = closePort(port);
    if (!this.wanted) return this.setState('closed');
    const reason = error ?? serialDisconnectError('the port closed', this.path);
    const reopening = this.options.reopen === true;
    if (!reopening) this.wanted = false;
    this.setState('disconnected', reason, reopening);
    if (reopening) this.scheduleReopen();
  }

  private scheduleReopen(): void {
    this.reopenTimer = setTimeout(async () => {
      if (!this.wanted) return;
      const result = await this.tryOpen();
      if (!result.ok && this.wanted && this.currentState === 'disconnected') this.scheduleReopen();
    }, this.options.reopenIntervalMs ?? DEFAULT_REOPEN_INTERVAL_MS);
  }

  private setState(state: SerialLinkState, error?: LinkError, reopening?: boolean): void {
    this.currentState = state;
    this.lastError = error;
    this.options.observer?.({
      kind: 'state',
      path: this.path,
      at: Date.now(),
      state,
      ...(error ? { error } : {}),
      ...(reopening !== undefined ? { reopening } : {}),
    });
  }

  private notOpenError(): LinkError {
    return this.lastError ?? linkError('LINK_ERR_CLOSED', `Serial port ${this.path} is not open.`);
  }
}

/** The port itself failed (unplugged, closed, I/O), as opposed to the conversation on it. */
function isPortError(error: LinkError): boolean {
  return error.code.startsWith('LINK_ERR_PORT') || error.code === 'LINK_ERR_IO' || error.code === 'LINK_ERR_CLOSED';
}
