/**
 * `window.msp`: the renderer's only door to the main process. The renderer calls named
 * methods and never sees a channel; `createMspApi` maps each method to its channel, one
 * line per channel, over whichever transport carries them (Electron's preload, or the
 * test host's WebSocket bridge).
 */
import type { EventName, EventPayloads, RequestArg, RequestName, RequestValues } from './contract.ts';
import type { Result } from '../result.ts';
import type { LinkConfigInput, SendRequestInput, Settings, SettingsPatch } from './schemas.ts';
import type { SecretsInfo } from './security.ts';
import type { SerialOpenInput, SerialOptions, SerialPortEntry, SerialSignals } from './serial.ts';
import type {
  AppSnapshot,
  ClientSummary,
  LinkStatus,
  RateSample,
  SendAccepted,
  SendProgress,
  TrafficEvent,
} from './types.ts';

export type Unsubscribe = () => void;
type Listener<T> = (payload: T) => void;

export interface MspApi {
  app: {
    init(): Promise<Result<AppSnapshot>>;
    copyText(text: string): Promise<Result<null>>;
    /** Opens an allow-listed https page in the system browser. */
    openExternal(url: string): Promise<Result<null>>;
  };
  link: {
    open(config: LinkConfigInput): Promise<Result<LinkStatus>>;
    close(): Promise<Result<LinkStatus>>;
    onStatus(listener: Listener<LinkStatus>): Unsubscribe;
  };
  packet: {
    send(request: SendRequestInput): Promise<Result<SendAccepted>>;
    cancelSend(): Promise<Result<null>>;
    onTraffic(listener: Listener<TrafficEvent[]>): Unsubscribe;
    onSendProgress(listener: Listener<SendProgress>): Unsubscribe;
  };
  server: {
    disconnect(clientId: number): Promise<Result<null>>;
    setAutoAck(on: boolean): Promise<Result<boolean>>;
    onClients(listener: Listener<ClientSummary[]>): Unsubscribe;
  };
  stats: {
    onRates(listener: Listener<RateSample>): Unsubscribe;
  };
  settings: {
    save(patch: SettingsPatch): Promise<Result<Settings>>;
  };
  serial: {
    /** What this computer's serial driver can set, the standard rates and the presets. */
    options(): Promise<Result<SerialOptions>>;
    listPorts(): Promise<Result<SerialPortEntry[]>>;
    /** Opens the port as the link (close it with link.close). */
    open(request: SerialOpenInput): Promise<Result<LinkStatus>>;
    setSignals(lines: SerialSignals): Promise<Result<null>>;
  };
  secrets: {
    /** Deletes the remembered password of the client or the server panel. */
    forget(mode: 'client' | 'server'): Promise<Result<SecretsInfo>>;
  };
}

/** How requests and events travel; the subscriber gets only the payload. */
export interface IpcTransport {
  invoke<K extends RequestName>(channel: K, arg: RequestArg<K>): Promise<Result<RequestValues[K]>>;
  subscribe<K extends EventName>(channel: K, listener: Listener<EventPayloads[K]>): Unsubscribe;
}

export function createMspApi(t: IpcTransport): MspApi {
  return {
    app: {
      init: () => t.invoke('app.init', undefined),
      copyText: (text) => t.invoke('app.copyText', { text }),
      openExternal: (url) => t.invoke('app.openExternal', { url }),
    },
    link: {
      open: (config) => t.invoke('link.open', config),
      close: () => t.invoke('link.close', undefined),
      onStatus: (listener) => t.subscribe('link.status', listener),
    },
    packet: {
      send: (request) => t.invoke('packet.send', request),
      cancelSend: () => t.invoke('packet.cancelSend', undefined),
      onTraffic: (listener) => t.subscribe('packet.traffic', listener),
      onSendProgress: (listener) => t.subscribe('packet.sendProgress', listener),
    },
    server: {
      disconnect: (clientId) => t.invoke('server.disconnect', { clientId }),
      setAutoAck: (on) => t.invoke('server.setAutoAck', { on }),
      onClients: (listener) => t.subscribe('server.clients', listener),
    },
    stats: {
      onRates: (listener) => t.subscribe('stats.rates', listener),
    },
    settings: {
      save: (patch) => t.invoke('settings.save', patch),
    },
    serial: {
      options: () => t.invoke('serial.options', undefined),
      listPorts: () => t.invoke('serial.listPorts', undefined),
      open: (request) => t.invoke('serial.open', request),
      setSignals: (lines) => t.invoke('serial.setSignals', lines),
    },
    secrets: {
      forget: (mode) => t.invoke('secrets.forget', { mode }),
    },
  };
}
