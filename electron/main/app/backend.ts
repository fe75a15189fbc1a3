/**
 * The app's backend: what the desktop app can do with a link (connect, listen, send,
 * disconnect a client...) as plain methods returning Results, and what happens on it as
 * events. Plain Node, no 'electron' import: Electron's IPC module and the browser tests'
 * test host both drive this same class.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { composeOutgoing, type Outgoing } from '../../../shared/send/compose.ts';
import type { EventMessage } from '../../../shared/ipc/contract.ts';
import { fail, ok, type AppError, type Result } from '../../../shared/ipc/result.ts';
import type { BindAddress, LinkConfig, SendRequest, Settings, SettingsPatch } from '../../../shared/ipc/schemas.ts';
import type { SerialOpenRequest, SerialOptions, SerialPortEntry, SerialSignals } from '../../../shared/ipc/serial.ts';
import type { ClientSecurity, SecretsInfo, ServerSecurity, ServerSecuritySummary } from '../../../shared/ipc/security.ts';
import type {
  AppSnapshot,
  ClientSummary,
  LinkStatus,
  SendAccepted,
  SendProgress,
} from '../../../shared/ipc/types.ts';
import { linkError } from '../link/errors.ts';
import type { SendResult, Session, SessionEvent } from '../link/session.ts';
import type { SerialLink } from '../link/serial-link.ts';
import type { SerialDriver } from '../link/serial-port.ts';
import { connectTcp } from '../link/tcp-client.ts';
import { formatHostPort, TcpServer, type ServerEvent } from '../link/tcp-server.ts';
import { clientLinkSecurity, serialLinkSecurity, serverLinkSecurity, type SecurityTuning } from './link-security.ts';
import type { TransportLock } from './packet-lock.ts';
import { RateMeter } from './rate-meter.ts';
import { checkSerialPacketSize, createSerialLink, serialLinkStatus, serialOptions, serialPortList } from './serial-backend.ts';
import { MemorySecretStore, type SecretName, type SecretStore } from './secret-store.ts';
import { SettingsFile, type LoadedSettings } from './settings-file.ts';
import { TrafficBatcher } from './traffic-batcher.ts';
import { TrafficTranslator } from './traffic-translator.ts';

export interface AppBackendOptions {
  /** settings.json in the user data folder. */
  settingsFile: string;
  /** process.platform, or what a test host wants the renderer to believe. */
  platform: string;
  appVersion: string;
  /** Where events go: Electron's webContents.send, or the test host's WebSocket. */
  emit: (message: EventMessage) => void;
  trafficIntervalMs?: number;
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** How often rates and the client list are refreshed while a link is open. */
  tickMs?: number;
  /** Tests pass serialport's SerialPortMock here. */
  serialDriver?: SerialDriver;
  /** How often an unplugged port is tried again when reopening is on. */
  serialReopenIntervalMs?: number;
  /** Remembered passwords: safeStorage in the app; by default in memory (the test host, tests). */
  secrets?: SecretStore;
  /** Tests lower the handshake timeout; the app uses the default. */
  security?: SecurityTuning;
}

type OpenLink =
  | { mode: 'client'; session: Session }
  | { mode: 'server'; server: TcpServer; bind: BindAddress; port: number; since: number; security: ServerSecuritySummary }
  | { mode: 'serial'; serial: SerialLink; request: SerialOpenRequest };

/** A stalled frame is given up after this long (the CLI server's default). */
const FRAME_TIMEOUT_MS = 10_000;
/** Progress of a repeated send is reported at most this often. */
const PROGRESS_INTERVAL_MS = 100;

export class AppBackend {
  private link: OpenLink | undefined;
  private status: LinkStatus = { state: 'idle' };
  /** Bumped by every open and close, so a late event from an older link is ignored. */
  private generation = 0;
  private autoAck = true;
  private readonly settings: SettingsFile;
  private loadedSettings: Promise<LoadedSettings> | undefined;
  private readonly traffic: TrafficBatcher;
  private rates = new RateMeter();
  private ticker: NodeJS.Timeout | undefined;
  private repeat: { abort: AbortController } | undefined;
  private progress: SendProgress = { running: false, sent: 0, total: 0 };
  private readonly secrets: SecretStore;

  constructor(private readonly options: AppBackendOptions) {
    this.settings = new SettingsFile(options.settingsFile);
    this.secrets = options.secrets ?? new MemorySecretStore();
    this.traffic = new TrafficBatcher(
      (batch) => options.emit({ name: 'packet.traffic', payload: batch }),
      options.trafficIntervalMs,
    );
  }

  /** Everything the renderer needs on (re)load. Settings are read from disk once. */
  async init(): Promise<Result<AppSnapshot>> {
    this.loadedSettings ??= this.settings.load();
    const loaded = await this.loadedSettings;
    return ok({
      info: { platform: this.options.platform, version: this.options.appVersion },
      settings: this.settings.settings,
      ...(loaded.warning ? { settingsWarning: loaded.warning } : {}),
      status: this.status,
      clients: this.clientList(),
      autoAck: this.autoAck,
      sendProgress: this.progress,
      secrets: await this.secretsInfo(),
    });
  }

  /** Deletes a remembered password. */
  async forgetPassword(name: SecretName): Promise<Result<SecretsInfo>> {
    await this.secrets.delete(name);
    return ok(await this.secretsInfo());
  }

  async saveSettings(patch: SettingsPatch): Promise<Result<Settings>> {
    await (this.loadedSettings ??= this.settings.load());
    try {
      return ok(await this.settings.save(patch));
    } catch (error) {
      return fail('SETTINGS_ERR_WRITE', `Your settings could not be saved: ${(error as Error).message}`);
    }
  }

  async openLink(config: LinkConfig): Promise<Result<LinkStatus>> {
    if (this.link || this.status.state === 'connecting') {
      return fail('APP_ERR_LINK_OPEN', 'Disconnect or stop the server first.');
    }
    this.rates = new RateMeter();
    return config.mode === 'client'
      ? this.connect(config.host, config.port, config.security)
      : this.listen(config.bind, config.port, config.security);
  }

  /** Disconnects, stops listening, or gives up a connection attempt. */
  async closeLink(): Promise<Result<LinkStatus>> {
    const link = this.link;
    this.link = undefined;
    this.generation++;
    this.stopRepeat();
    this.stopTicker();
    if (link?.mode === 'client') link.session.close();
    if (link?.mode === 'serial') await link.serial.close();
    if (link?.mode === 'server') {
      await link.server.stop();
      this.options.emit({ name: 'server.clients', payload: [] });
    }
    this.setStatus({ state: 'idle' });
    return ok(this.status);
  }

  /**
   * Sends what the send box holds: one message now, or a repeat that runs in the
   * background (each after the previous one's ACK, then the interval) and reports progress.
   */
  send(request: SendRequest): Result<SendAccepted> {
    const link = this.link;
    if (!link) return fail('APP_ERR_NOT_CONNECTED', 'Connect to a server or start listening first.');
    const composed = composeOutgoing(request.format, request.input);
    if (!composed.ok) return fail(composed.error.code, composed.error.message);
    if (link.mode === 'serial' && composed.value.kind === 'message') {
      const fits = checkSerialPacketSize(composed.value.wire, link.request.maxPacketSize);
      if (!fits.ok) return fits;
    }
    const targets = this.targetsFor(link, request.to);
    const first = targets();
    if (!first.ok) return first;
    if (request.repeat === 1) {
      for (const session of first.value) void this.sendOne(session, composed.value);
      return ok({ total: 1 });
    }
    if (this.repeat) return fail('APP_ERR_BUSY', 'A repeated send is still running: stop it first.');
    const abort = new AbortController();
    this.repeat = { abort };
    void this.runRepeat(composed.value, targets, request.repeat, request.intervalMs, abort.signal);
    return ok({ total: request.repeat });
  }

  cancelSend(): Result<null> {
    this.stopRepeat();
    return ok(null);
  }

  disconnectClient(clientId: number): Result<null> {
    if (this.link?.mode !== 'server') return fail('APP_ERR_NOT_LISTENING', 'The server is not running.');
    if (!this.link.server.disconnect(clientId)) {
      return fail('APP_ERR_NO_SUCH_CLIENT', 'That client has already disconnected.');
    }
    return ok(null);
  }

  setAutoAck(on: boolean): Result<boolean> {
    this.autoAck = on;
    if (this.link?.mode === 'server') this.link.server.setAutoAck(on);
    if (this.link?.mode === 'client') this.link.session.setAutoAck(on);
    return ok(on);
  }

  serialOptions(): Result<SerialOptions> {
    return ok(serialOptions());
  }

  listSerialPorts(): Promise<Result<SerialPortEntry[]>> {
    return serialPortList(this.options.serialDriver);
  }

  /**
   * Opens a serial port as the link. Its session events go through the same translator,
   * batcher and rates as a TCP session; its states (opening, open, reopening, and why it
   * ended) become the link status.
   */
  async openSerial(request: SerialOpenRequest): Promise<Result<LinkStatus>> {
    if (this.link || this.status.state === 'connecting') {
      return fail('APP_ERR_LINK_OPEN', 'Disconnect or stop the server first.');
    }
    this.rates = new RateMeter();
    const generation = ++this.generation;
    const secured = await serialLinkSecurity(request, this.secrets, this.options.security);
    if (!secured.ok) return secured;
    if (generation !== this.generation) return fail('APP_ERR_CANCELLED', 'Opening the port was cancelled.');
    const { security, version, handshake, summary } = secured.value;
    const translator = new TrafficTranslator(request.path);
    const handshakeEnd = new HandshakeWatch(request.path);
    let since: number | undefined;
    const serial: SerialLink = createSerialLink(request, {
      ackTimeoutMs: this.options.ackTimeoutMs,
      frameTimeoutMs: FRAME_TIMEOUT_MS,
      reopenIntervalMs: this.options.serialReopenIntervalMs,
      driver: this.options.serialDriver,
      security,
      version,
      onSession: (event) => {
        handshakeEnd.observe(event);
        this.onSessionEvent(event, translator, generation, request.path);
      },
      onState: (event) => {
        if (generation !== this.generation) return;
        if (event.state === 'open') since = event.at; // a reopened port is open since it came back
        const lock = serial.session?.securityState.lock;
        const { status, ended } = serialLinkStatus(event, request, since, { ...(lock ? { lock } : {}), ...(summary ? { summary } : {}) });
        if (ended) this.dropLink();
        this.setStatus(status);
      },
    });
    this.link = { mode: 'serial', serial, request };
    const opened = await serial.open();
    if (!opened.ok) return fail(opened.error.code, opened.error.message);
    if (handshake) {
      // As a TCP client: open means DATA can go, so a v3 sender waits for its handshake (wrong password, no answer...).
      const failed = await handshakeEnd.done;
      if (failed) {
        if (generation === this.generation) {
          this.dropLink();
          await serial.close();
          this.setStatus({ state: 'error', error: failed });
        }
        return fail(failed.code, failed.message);
      }
    }
    if (generation === this.generation) this.startTicker();
    return ok(this.status);
  }

  async setSerialSignals(lines: SerialSignals): Promise<Result<null>> {
    if (this.link?.mode !== 'serial') return fail('APP_ERR_NOT_CONNECTED', 'Open a serial port first.');
    const result = await this.link.serial.setSignals(lines);
    return result.ok ? ok(null) : fail(result.error.code, result.error.message);
  }

  async dispose(): Promise<void> {
    await this.closeLink();
    this.traffic.dispose();
  }

  private async connect(host: string, port: number, choice: ClientSecurity | undefined): Promise<Result<LinkStatus>> {
    const generation = ++this.generation;
    const peer = formatHostPort(host, port);
    this.setStatus({ state: 'connecting', host, port });
    const secured = await clientLinkSecurity(choice, this.secrets, this.options.security);
    if (!secured.ok) {
      this.setStatus({ state: 'idle' });
      return secured;
    }
    const { security, version, handshake, tls } = secured.value;
    const translator = new TrafficTranslator(peer, undefined, tls ? 'tls' : 'none');
    const handshakeEnd = new HandshakeWatch(peer);
    const result = await connectTcp({
      host,
      port,
      connectTimeoutMs: this.options.connectTimeoutMs,
      ...(tls ? { tls } : {}),
      session: {
        autoAck: this.autoAck,
        ackTimeoutMs: this.options.ackTimeoutMs,
        frameTimeoutMs: FRAME_TIMEOUT_MS,
        onFrameTimeout: 'resync',
        security,
        version,
        observer: (event) => {
          handshakeEnd.observe(event);
          this.onSessionEvent(event, translator, generation, peer);
        },
      },
    });
    if (result.ok && handshake && generation === this.generation) {
      // Connected means DATA can go: a v3 client waits for its handshake (wrong password, no answer...).
      this.setStatus({ state: 'connecting', host, port, securing: true });
      const failed = await handshakeEnd.done;
      if (failed && generation === this.generation) {
        result.session.close();
        this.setStatus({ state: 'error', error: failed });
        return fail(failed.code, failed.message);
      }
    }
    if (generation !== this.generation) {
      // Given up (closeLink) while connecting.
      if (result.ok) result.session.close();
      return fail('APP_ERR_CANCELLED', 'Connecting was cancelled.');
    }
    if (!result.ok) {
      this.setStatus({ state: 'error', error: result.error });
      return fail(result.error.code, result.error.message);
    }
    this.link = { mode: 'client', session: result.session };
    this.setStatus({ state: 'connected', host, port, since: Date.now(), lock: result.session.securityState.lock });
    this.startTicker();
    return ok(this.status);
  }

  private async listen(bind: BindAddress, port: number, choice: ServerSecurity | undefined): Promise<Result<LinkStatus>> {
    const generation = ++this.generation;
    const translators = new Map<number, TrafficTranslator>();
    const secured = await serverLinkSecurity(choice, this.secrets, this.options.security);
    if (!secured.ok) return secured;
    const { security, version, tls, summary } = secured.value;
    const server: TcpServer = new TcpServer({
      host: bind,
      port,
      session: { autoAck: this.autoAck, ackTimeoutMs: this.options.ackTimeoutMs, frameTimeoutMs: FRAME_TIMEOUT_MS, security, version },
      observer: (event) => this.onServerEvent(event, translators, generation, tls ? 'tls' : 'none'),
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
    });
    const result = await server.listen();
    if (!result.ok) {
      this.setStatus({ state: 'error', error: result.error });
      return fail(result.error.code, result.error.message);
    }
    if (generation !== this.generation) {
      await server.stop();
      return fail('APP_ERR_CANCELLED', 'Starting the server was cancelled.');
    }
    this.link = { mode: 'server', server, bind, port: result.port, since: Date.now(), security: summary };
    this.setListeningStatus();
    this.startTicker();
    return ok(this.status);
  }

  private onServerEvent(
    event: ServerEvent,
    translators: Map<number, TrafficTranslator>,
    generation: number,
    transport: TransportLock,
  ): void {
    if (generation !== this.generation) return;
    switch (event.kind) {
      case 'session': {
        let translator = translators.get(event.clientId);
        if (!translator) {
          translator = new TrafficTranslator(event.peer, event.clientId, transport);
          translators.set(event.clientId, translator);
        }
        this.onSessionEvent(event.event, translator, generation, event.peer);
        return;
      }
      case 'client-open':
      case 'client-closed':
        if (event.kind === 'client-closed') translators.delete(event.clientId);
        this.traffic.flush();
        this.options.emit({ name: 'server.clients', payload: this.clientList() });
        this.setListeningStatus();
        return;
      default:
        return;
    }
  }

  private onSessionEvent(event: SessionEvent, translator: TrafficTranslator, generation: number, peer: string): void {
    if (generation !== this.generation) return;
    this.countRates(event);
    const traffic = translator.translate(event);
    if (traffic) this.traffic.push(traffic);
    if (event.kind === 'security' && this.link?.mode === 'client' && this.status.state === 'connected') {
      this.setStatus({ ...this.status, lock: event.security.lock });
    }
    if (event.kind === 'security' && this.link?.mode === 'serial' && this.status.state === 'serial') {
      this.setStatus({ ...this.status, lock: event.security.lock });
    }
    if (event.kind === 'closed' && this.link?.mode === 'client') {
      // The server went away (we did not ask): say why, in plain words.
      this.dropLink();
      const error = event.error ?? linkError('LINK_ERR_CLOSED', `${peer} closed the connection.`);
      this.setStatus({ state: 'error', error });
    }
  }

  /** The link ended by itself: forget it, and ignore anything it still says. */
  private dropLink(): void {
    this.link = undefined;
    this.generation++;
    this.stopRepeat();
    this.stopTicker();
  }

  private countRates(event: SessionEvent): void {
    switch (event.kind) {
      case 'packet':
        if (event.dir === 'in') this.rates.countIn(event.raw.length, 1);
        else this.rates.countOut(event.raw.length, 1);
        return;
      case 'raw-out':
        this.rates.countOut(event.raw.length, 0);
        return;
      case 'skipped':
        // Each byte in is either in a packet, skipped, or counted in a summary (a bad frame's bytes are skipped too).
        this.rates.countIn(event.length, 0);
        return;
      case 'suppressed':
        this.rates.countIn(event.bytes, 0);
        return;
      case 'ack':
        this.rates.recordRtt(event.rttMs);
        return;
      default:
        return;
    }
  }

  /** The sessions a send goes to, looked up again at each repeat (clients come and go). */
  private targetsFor(link: OpenLink, to: SendRequest['to']): () => Result<Session[]> {
    if (link.mode === 'client') return () => (link.session.isClosed ? notConnected() : ok([link.session]));
    if (link.mode === 'serial') {
      return () => {
        const session = link.serial.session;
        return session ? ok([session]) : fail('APP_ERR_NOT_CONNECTED', 'The serial port is not open: wait for it to come back, or open it again.');
      };
    }
    return () => {
      if (to === undefined || to === 'all') {
        const all = link.server.clientList().flatMap((c) => link.server.session(c.clientId) ?? []);
        return all.length > 0 ? ok(all) : fail('APP_ERR_NO_CLIENTS', 'No client is connected to send to.');
      }
      const session = link.server.session(to);
      return session ? ok([session]) : fail('APP_ERR_NO_SUCH_CLIENT', 'That client has disconnected.');
    };
  }

  private async sendOne(session: Session, outgoing: Outgoing): Promise<SendResult> {
    if (outgoing.kind === 'raw') return session.sendRaw(outgoing.wire);
    const result = await session.sendMessage(outgoing.payload);
    if (!result.ok && result.id !== undefined && result.error.code !== 'LINK_ERR_ACK_TIMEOUT') {
      this.traffic.push({ kind: 'ack-lost', dataId: result.id, reason: result.error });
    }
    return result;
  }

  private async runRepeat(
    outgoing: Outgoing,
    targets: () => Result<Session[]>,
    total: number,
    intervalMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    let sent = 0;
    let error: AppError | undefined;
    let reportedAt = 0;
    this.setProgress({ running: true, sent, total });
    while (sent < total && !signal.aborted) {
      const sessions = targets();
      if (!sessions.ok) {
        error = sessions.error;
        break;
      }
      const results = await Promise.all(sessions.value.map((s) => this.sendOne(s, outgoing)));
      sent++;
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) {
        error = failed.error;
        break;
      }
      if (Date.now() - reportedAt >= PROGRESS_INTERVAL_MS) {
        reportedAt = Date.now();
        this.setProgress({ running: true, sent, total });
      }
      if (intervalMs > 0 && sent < total) await sleep(intervalMs, undefined, { signal }).catch(() => {});
    }
    if (this.repeat?.abort.signal === signal) this.repeat = undefined;
    this.setProgress({ running: false, sent, total, ...(error ? { error } : {}) });
  }

  private stopRepeat(): void {
    this.repeat?.abort.abort();
    this.repeat = undefined;
  }

  private clientList(): ClientSummary[] {
    return this.link?.mode === 'server' ? this.link.server.clientList() : [];
  }

  private setListeningStatus(): void {
    const link = this.link;
    if (link?.mode !== 'server') return;
    this.setStatus({
      state: 'listening',
      bind: link.bind,
      port: link.port,
      clients: link.server.clientCount,
      since: link.since,
      security: link.security,
    });
  }

  private async secretsInfo(): Promise<SecretsInfo> {
    const [client, server] = await Promise.all([this.secrets.has('client'), this.secrets.has('server')]);
    return { available: this.secrets.available, remembered: { client, server } };
  }

  private setStatus(status: LinkStatus): void {
    this.traffic.flush(); // the packets that led here are shown before the new state
    this.status = status;
    this.options.emit({ name: 'link.status', payload: status });
  }

  private setProgress(progress: SendProgress): void {
    this.traffic.flush();
    this.progress = progress;
    this.options.emit({ name: 'packet.sendProgress', payload: progress });
  }

  private startTicker(): void {
    this.stopTicker();
    this.ticker = setInterval(() => {
      this.options.emit({ name: 'stats.rates', payload: this.rates.tick() });
      if (this.link?.mode === 'server') this.options.emit({ name: 'server.clients', payload: this.clientList() });
    }, this.options.tickMs ?? 1000);
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

/** Settles when a v3 client's handshake ends: undefined once secured, else why it failed. */
class HandshakeWatch {
  private settle!: (error: AppError | undefined) => void;
  readonly done = new Promise<AppError | undefined>((resolve) => (this.settle = resolve));

  constructor(private readonly peer: string) {}

  observe(event: SessionEvent): void {
    if (event.kind === 'security' && event.security.packets === 'v3') this.settle(undefined);
    if (event.kind === 'closed') {
      this.settle(event.error ?? linkError('LINK_ERR_CLOSED', `${this.peer} closed the connection during the secure handshake.`));
    }
  }
}

function notConnected(): Result<never> {
  return fail('APP_ERR_NOT_CONNECTED', 'The connection is closed: connect again first.');
}
