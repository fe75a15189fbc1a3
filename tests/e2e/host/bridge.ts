/**
 * Runs in the page, before the app: defines `window.msp` exactly as the preload does,
 * but carried over a WebSocket to the test host's backend instead of Electron's IPC.
 * The page's query string (?profile=…&platform=…) is passed on to the host, with the
 * host's token from the page's fragment (#msp-token=…), without which the host refuses the socket.
 */
import { createMspApi, type IpcTransport } from '../../../shared/ipc/api.ts';
import { decodeMessage, encodeMessage, SOCKET_PATH, TOKEN_FRAGMENT_KEY, TOKEN_QUERY_KEY, type ServerMessage } from './wire.ts';

const query = new URLSearchParams(location.search);
query.set(TOKEN_QUERY_KEY, new URLSearchParams(location.hash.slice(1)).get(TOKEN_FRAGMENT_KEY) ?? '');
const socket = new WebSocket(`ws://${location.host}${SOCKET_PATH}?${query}`);
const opened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
const pending = new Map<number, (result: never) => void>();
const listeners = new Map<string, Set<(payload: never) => void>>();
let lastId = 0;

socket.addEventListener('message', (event) => {
  const message = decodeMessage<ServerMessage>(event.data as string);
  if ('id' in message) {
    pending.get(message.id)?.(message.result as never);
    pending.delete(message.id);
  } else {
    for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never);
  }
});

const transport: IpcTransport = {
  async invoke(channel, arg) {
    await opened;
    const id = ++lastId;
    return new Promise((resolve) => {
      pending.set(id, resolve as (result: never) => void);
      socket.send(encodeMessage({ id, channel, arg }));
    });
  },
  subscribe(channel, listener) {
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  },
};

Object.defineProperty(window, 'msp', { value: createMspApi(transport), writable: false, configurable: false });
