/**
 * The app's backend: what the desktop app can do with a link (connect, listen, send,
 * disconnect a client...) as plain methods returning Results, and what happens on it as
 * events. Plain Node, no 'electron' import: Electron's IPC module and the browser tests'
 * test host both drive this same class.
 */
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeOutgoing, type Outgoing } from '../../../shared/send/compose.ts';
import type { EventMessage } from '../../../shared/ipc/contract.ts';
import { appError, fail, ok, type AppError, type Result } from '../../../shared/result.ts';
import type { LinkConfig, SendRequest, Settings, SettingsPatch } from '../../../shared/ipc/schemas.ts';
import type { SerialOpenRequest, SerialOptions, SerialPortEntry, SerialSignals } from '../../../shared/ipc/serial.ts';
import type { SecretsInfo } from '../../../shared/ipc/security.ts';
import type {
  AppSnapshot,
  ClientSummary,
  LinkStatus,
  SendAccepted,
  SendProgress,
} from '../../../shared/ipc/types.ts';
import type { SendResult, Session, SessionEvent } from '../link/session.ts';
import type { SerialDriver } from '../link/serial-port.ts';
import type { SecurityTuning } from './link-security.ts';
import type { AppLink, LinkContext } from './links/app-link.ts';
import { openSerialAppLink } from './links/serial-app-link.ts';
import { openConfiguredLink } from './links/open-link.ts';
import { PacketsBackend } from './packets-backend.ts';
import { RateMeter } from './rate-meter.ts';
import { RemoteBackend } from './remote-backend.ts';
import { serialOptions, serialPortList } from './serial-backend.ts';
import { MemorySecretStore, type SecretName, type SecretStore } from './secret-store.ts';
import { SettingsFile, type LoadedSettings } from './settings-file.ts';
import { TrafficBatcher, type TrafficBudget } from './traffic-batcher.ts';
import { TrafficTranslator } from './traffic-translator.ts';
import { AppAutomation } from './automation.ts';
import { TransferHub } from './transfers.ts';
import { ModemBackend } from './modem-backend.ts';
import { UploadStaging } from './upload-staging.ts';
import { homedir } from 'node:os';

export interface AppBackendOptions {
  /** settings.json in the user data folder. */
  settingsFile: string;
  /** process.platform, or what a test host wants the renderer to believe. */
  platform: string;
  appVersion: string;
  /** Where events go: Electron's webContents.send, or the test host's WebSocket. */
  emit: (message: EventMessage) => void;
  trafficIntervalMs?: number;
  /** Tests lower the traffic budgets (shared/limits.ts) to reach them quickly. */
  trafficBudget?: Partial<TrafficBudget>;
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
  /** Where received files go unless the user picks another folder (the app: Downloads). */
  receiveDir?: string;
}

/** Progress of a repeated send is reported at most this often. */
const PROGRESS_INTERVAL_MS = 100;

export class AppBackend {
  /** The open link, if any: AppBackend never asks which kind it is. */
  private link: AppLink | undefined;
  /** The open (or opening) link's signal: aborted by closeLink, so its late callbacks do nothing. */
  private linkAbort: AbortController | undefined;
  private status: LinkStatus = { state: 'idle' };
  private autoAck = true;
  private readonly settings: SettingsFile;
  private loadedSettings: Promise<LoadedSettings> | undefined;
  private readonly traffic: TrafficBatcher;
  private rates = new RateMeter();
  private ticker: NodeJS.Timeout | undefined;
  private repeat: { abort: AbortController } | undefined;
  private progress: SendProgress = { running: false, sent: 0, total: 0 };
  private readonly secrets: SecretStore;
  /** Saved packets and sequences (the Packets panel): packets.json beside settings.json. */
  readonly packets: PacketsBackend;
  /** The auto-responder every link's sessions run (the Automation panel's rules). */
  readonly automation: AppAutomation;
  /** File transfer on the open link's sessions (the Transfers tool). */
  readonly transfers: TransferHub;
  /** Remote control, both roles (remote-backend.ts): the Remote panel's requests go straight to it. */
  readonly remote: RemoteBackend;
  /** Files the window hands over to send (the Transfers and X/Y/ZMODEM tools). */
  readonly uploads = new UploadStaging();
  /** X/Y/ZMODEM on a serial port or raw TCP (the Modem tool), beside the MSP link. */
  readonly modem: ModemBackend;

  constructor(private readonly options: AppBackendOptions) {
    const receiveDir = options.receiveDir ?? join(homedir(), 'Downloads');
    this.transfers = new TransferHub(
      options.emit,
      receiveDir,
      () => {
        const targets = this.link?.targets('all');
        return targets?.ok ? targets.value : [];
      },
      this.uploads,
    );
    this.modem = new ModemBackend({
      emit: options.emit,
      staging: this.uploads,
      receiveFolder: receiveDir,
      mspPort: () => (this.status.state === 'serial' ? this.status.path : undefined),
      ...(options.serialDriver ? { serialDriver: options.serialDriver } : {}),
    });
    this.settings = new SettingsFile(options.settingsFile);
    this.packets = new PacketsBackend({
      file: join(dirname(options.settingsFile), 'packets.json'),
      targets: (to) => (this.link ? this.link.targets(to) : fail(appError('APP_ERR_NOT_CONNECTED', 'Connect to a server or start listening first.'))),
      checkMessage: (payload) => (this.link ? this.link.checkMessage(payload) : ok(null)),
      emit: options.emit,
    });
    this.secrets = options.secrets ?? new MemorySecretStore();
    this.automation = new AppAutomation((status) => options.emit({ name: 'automation.fired', payload: status }));
    this.remote = new RemoteBackend(options.emit, options.settingsFile, this.transfers);
    this.traffic = new TrafficBatcher((batch) => options.emit({ name: 'packet.traffic', payload: batch }), {
      ...options.trafficBudget,
      ...(options.trafficIntervalMs !== undefined ? { intervalMs: options.trafficIntervalMs } : {}),
    });
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
      return fail(appError('SETTINGS_ERR_WRITE', `Your settings could not be saved: ${(error as Error).message}`));
    }
  }

  /** Connects to a server or starts one (the connection panel). */
  openLink(config: LinkConfig): Promise<Result<LinkStatus>> {
    return this.open((ctx) => openConfiguredLink(config, ctx));
  }

  /** Opens a serial port as the link (the serial panel): the same log, rates and sends as TCP. */
  async openSerial(request: SerialOpenRequest): Promise<Result<LinkStatus>> {
    if (await this.modem.portInUse(request.path)) {
      return fail(appError('MODEM_ERR_PORT_IN_USE', `${request.path} is in use by an X/Y/ZMODEM transfer: wait for it or cancel it first (Modem tool).`));
    }
    return this.open((ctx) => openSerialAppLink(request, ctx));
  }

  /** Disconnects, stops listening, closes the port, or gives up an attempt. */
  async closeLink(): Promise<Result<LinkStatus>> {
    const link = this.link;
    this.dropLink();
    await link?.close();
    this.setStatus({ state: 'idle' });
    return ok(this.status);
  }

  /**
   * Sends what the send box holds: one message now, or a repeat that runs in the
   * background (each after the previous one's ACK, then the interval) and reports progress.
   */
  send(request: SendRequest): Result<SendAccepted> {
    const link = this.link;
    if (!link) return fail(appError('APP_ERR_NOT_CONNECTED', 'Connect to a server or start listening first.'));
    const composed = composeOutgoing(request.format, request.input);
    if (!composed.ok) return fail(appError(composed.error.code, composed.error.message));
    if (composed.value.kind === 'message') {
      const fits = link.checkMessage(composed.value.payload);
      if (!fits.ok) return fits;
    }
    const targets = () => link.targets(request.to);
    const first = targets();
    if (!first.ok) return first;
    if (request.repeat === 1) {
      for (const session of first.value) void this.sendOne(session, composed.value);
      return ok({ total: 1 });
    }
    if (this.repeat) return fail(appError('APP_ERR_BUSY', 'A repeated send is still running: stop it first.'));
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
    if (!this.link) return fail(appError('APP_ERR_NOT_LISTENING', 'The server is not running.'));
    return this.link.disconnect(clientId);
  }

  setAutoAck(on: boolean): Result<boolean> {
    this.autoAck = on;
    this.link?.setAutoAck(on);
    return ok(on);
  }

  serialOptions(): Result<SerialOptions> {
    return ok(serialOptions());
  }

  listSerialPorts(): Promise<Result<SerialPortEntry[]>> {
    return serialPortList(this.options.serialDriver);
  }

  async setSerialSignals(lines: SerialSignals): Promise<Result<null>> {
    if (!this.link?.setSignals) return fail(appError('APP_ERR_NOT_CONNECTED', 'Open a serial port first.'));
    return this.link.setSignals(lines);
  }

  async dispose(): Promise<void> {
    this.remote.dispose();
    this.modem.dispose();
    await this.closeLink();
    this.transfers.dispose();
    this.uploads.dispose();
    this.traffic.dispose();
  }

  /**
   * Opens a link with its own AbortSignal: closeLink aborts it, and every callback of the link
   * checks it, so a link given up while it opens (or after) cannot touch the current state.
   */
  private async open(opener: (ctx: LinkContext) => Promise<Result<AppLink>>): Promise<Result<LinkStatus>> {
    if (this.link || this.linkAbort) return fail(appError('APP_ERR_LINK_OPEN', 'Disconnect or stop the server first.'));
    this.rates = new RateMeter();
    const abort = new AbortController();
    this.linkAbort = abort;
    const opened = await opener(this.contextFor(abort.signal));
    if (abort.signal.aborted) {
      if (opened.ok) await opened.value.close();
      return opened.ok ? fail(appError('APP_ERR_CANCELLED', 'Opening the link was cancelled.')) : opened;
    }
    if (!opened.ok) {
      this.linkAbort = undefined;
      return opened;
    }
    this.link = opened.value;
    this.startTicker();
    return ok(this.status);
  }

  private contextFor(signal: AbortSignal): LinkContext {
    const { options } = this;
    return {
      signal,
      traffic: (event, translator) => this.onSessionEvent(event, translator),
      status: (status) => this.setStatus(status),
      clientsChanged: () => {
        this.traffic.flush();
        options.emit({ name: 'server.clients', payload: this.clientList() });
      },
      ended: (status) => {
        this.dropLink();
        this.setStatus(status);
      },
      autoAck: this.autoAck,
      ackTimeoutMs: options.ackTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      secrets: this.secrets,
      security: options.security,
      serialDriver: options.serialDriver,
      serialReopenIntervalMs: options.serialReopenIntervalMs,
      packetHook: this.automation.responder,
      services: (link) => [...this.transfers.services(link), ...this.remote.services(link)],
    };
  }

  private onSessionEvent(event: SessionEvent, translator: TrafficTranslator): void {
    this.countRates(event);
    this.packets.onSessionEvent(event);
    const traffic = translator.translate(event);
    if (traffic) this.traffic.push(traffic);
  }

  /** The link ended, or is being closed: forget it, and let its late callbacks do nothing. */
  private dropLink(): void {
    this.linkAbort?.abort();
    this.linkAbort = undefined;
    this.link = undefined;
    this.packets.linkClosed();
    this.transfers.linkClosed();
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
    return this.link?.clients() ?? [];
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
      const clients = this.clientList();
      if (clients.length > 0 || this.status.state === 'listening') this.options.emit({ name: 'server.clients', payload: clients });
    }, this.options.tickMs ?? 1000);
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
