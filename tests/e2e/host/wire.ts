/**
 * How the test host's WebSocket carries the IPC contract: JSON, with byte arrays as
 * base64 (Electron's IPC clones Uint8Arrays natively; JSON cannot). Runs in Node and in the page.
 */

const BYTES = '$bytes';

/** Where the page's bridge opens its socket. */
export const SOCKET_PATH = '/msp';
/** The fragment key the host puts its token under in the page's URL (never sent to a server by a browser). */
export const TOKEN_FRAGMENT_KEY = 'msp-token';
/** The query key the bridge sends the token back with, on the socket's URL. */
export const TOKEN_QUERY_KEY = 'token';

export type ClientMessage = { id: number; channel: string; arg: unknown };
export type ServerMessage = { id: number; result: unknown } | { event: string; payload: unknown };

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  // `this[key]` is the value before toJSON: a Node Buffer would otherwise arrive as {type:'Buffer', data:[...]}.
  return JSON.stringify(message, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Uint8Array ? { [BYTES]: toBase64(original) } : value;
  });
}

export function decodeMessage<T>(text: string): T {
  // A walk after parsing rather than a JSON.parse reviver, which costs a call per value:
  // a flood's batches are decoded on the page's main thread.
  return restoreBytes(JSON.parse(text)) as T;
}

function restoreBytes(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restoreBytes(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const bytes = record[BYTES];
    if (typeof bytes === 'string') return fromBase64(bytes);
    for (const key of Object.keys(record)) record[key] = restoreBytes(record[key]);
  }
  return value;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
