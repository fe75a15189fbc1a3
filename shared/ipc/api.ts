/**
 * `window.msp`: the renderer's only door to the main process. Its shape is derived from the
 * contract (contract.ts), so it cannot drift from it: request `ns.method` becomes
 * `msp.ns.method(arg)` answering a Result, and event `ns.thing` becomes `msp.ns.onThing(listener)`.
 * `createMspApi` builds it over whichever transport carries the channels (Electron's
 * preload, or the test host's WebSocket bridge).
 */
import { EVENT_NAMES, REQUEST_NAMES, type EventName, type EventPayloads, type RequestArg, type RequestName, type RequestValues } from './contract.ts';
import type { Result } from '../result.ts';

export type Unsubscribe = () => void;
type Listener<T> = (payload: T) => void;

/** "link" of "link.open". */
type NamespaceOf<N extends string> = N extends `${infer Namespace}.${string}` ? Namespace : never;
/** "open" of "link.open". */
type MemberOf<N extends string> = N extends `${string}.${infer Member}` ? Member : never;

/** A request without an argument is called with none. */
type RequestMethod<K extends RequestName> = [RequestArg<K>] extends [undefined]
  ? () => Promise<Result<RequestValues[K]>>
  : (arg: RequestArg<K>) => Promise<Result<RequestValues[K]>>;

type Namespace = NamespaceOf<RequestName | EventName>;

export type MspApi = {
  [NS in Namespace]: {
    [K in RequestName as NamespaceOf<K> extends NS ? MemberOf<K> : never]: RequestMethod<K>;
  } & {
    [E in EventName as NamespaceOf<E> extends NS ? `on${Capitalize<MemberOf<E>>}` : never]: (listener: Listener<EventPayloads[E]>) => Unsubscribe;
  };
};

/** The namespaces on window.msp ("app", "link", ...), from the contract. */
export const API_NAMESPACES: readonly Namespace[] = [...new Set([...REQUEST_NAMES, ...EVENT_NAMES].map((name) => name.split('.')[0] as Namespace))];

/** How requests and events travel; the subscriber gets only the payload. */
export interface IpcTransport {
  invoke<K extends RequestName>(channel: K, arg: RequestArg<K>): Promise<Result<RequestValues[K]>>;
  subscribe<K extends EventName>(channel: K, listener: Listener<EventPayloads[K]>): Unsubscribe;
}

export function createMspApi(t: IpcTransport): MspApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of REQUEST_NAMES) {
    const [namespace, member] = name.split('.');
    (api[namespace] ??= {})[member] = (arg?: unknown) => t.invoke(name, arg as never);
  }
  for (const name of EVENT_NAMES) {
    const [namespace, member] = name.split('.');
    (api[namespace] ??= {})[`on${member[0].toUpperCase()}${member.slice(1)}`] = (listener: Listener<EventPayloads[typeof name]>) => t.subscribe(name, listener);
  }
  return api as MspApi;
}
