/**
 * The wire layout of remote control (docs/PROTOCOL.md, "Remote control"), TYPE 0x50-0x57.
 * Every message starts with the controller's request id (u32, big-endian). Lists and run
 * requests carry a small JSON body, checked here with a strict, bounded schema; output and
 * exits are binary. Decoders never throw: a malformed message is `undefined`.
 */
import { z } from 'zod';
import { REMOTE_LIMITS } from '../limits.ts';
import { NAME_PATTERN } from '../remote/commands-file.ts';
import { utf8DecodeStrict, utf8Encode } from './text.ts';

export const OutputStream = { STDOUT: 1, STDERR: 2 } as const;
export type OutputStreamName = 'stdout' | 'stderr';

/** A parameter as the controller sees it: enough to build a form and check input before sending. */
export const offeredParamSchema = z.union([
  z.object({ name: z.string().regex(NAME_PATTERN), description: z.string().max(500), type: z.literal('string'), pattern: z.string().max(500), maxLength: z.number().int().min(1).max(REMOTE_LIMITS.maxStringParam) }).strict(),
  z.object({ name: z.string().regex(NAME_PATTERN), description: z.string().max(500), type: z.literal('integer'), min: z.number().int(), max: z.number().int() }).strict(),
  z.object({ name: z.string().regex(NAME_PATTERN), description: z.string().max(500), type: z.literal('enum'), values: z.array(z.string().max(100)).max(REMOTE_LIMITS.maxEnumValues) }).strict(),
  /** A path relative to a folder the controlled side chose (the folder itself is not disclosed). */
  z.object({ name: z.string().regex(NAME_PATTERN), description: z.string().max(500), type: z.literal('file') }).strict(),
]);

export const offeredCommandSchema = z
  .object({
    name: z.string().regex(NAME_PATTERN),
    description: z.string().max(500),
    params: z.array(offeredParamSchema).max(REMOTE_LIMITS.maxParams),
    confirm: z.boolean(),
    timeoutSeconds: z.number().int().min(0).max(REMOTE_LIMITS.timeoutSeconds.max),
    maxOutputBytes: z.number().int().min(0).max(REMOTE_LIMITS.maxOutputBytes.max),
    builtin: z.boolean(),
  })
  .strict();

const listSchema = z.object({ commands: z.array(offeredCommandSchema).max(REMOTE_LIMITS.maxCommands + 8) }).strict();

/** Arguments as name/value pairs (never an object: a key like "__proto__" is just a name here). */
const runSchema = z
  .object({
    command: z.string().regex(NAME_PATTERN),
    args: z.array(z.tuple([z.string().max(32), z.string().max(REMOTE_LIMITS.maxStringParam * 4)])).max(REMOTE_LIMITS.maxParams),
  })
  .strict();

export type OfferedParam = z.infer<typeof offeredParamSchema>;
export type OfferedCommand = z.infer<typeof offeredCommandSchema>;
export interface RunRequest {
  command: string;
  args: Array<[string, string]>;
}

/** How a run ended (RC_EXIT). `exitCode` is the signal number when `signalled`. */
export interface RunExit {
  exitCode: number;
  signalled: boolean;
  truncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** stdout and stderr bytes sent back. */
  bytes: number;
  durationMs: number;
}

const EXIT_FLAGS = { truncated: 1, timedOut: 2, cancelled: 4, signalled: 8 } as const;

/** Request id ‖ body. */
function withId(id: number, body: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, id >>> 0);
  out.set(body, 4);
  return out;
}

/** The request id of any remote-control message, or undefined when it is too short to hold one. */
export function requestIdOf(payload: Uint8Array): number | undefined {
  return payload.length >= 4 ? new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0) : undefined;
}

function jsonBody<T>(payload: Uint8Array, schema: z.ZodType<T>, maxBytes: number): T | undefined {
  if (payload.length < 4 || payload.length - 4 > maxBytes) return undefined;
  const text = utf8DecodeStrict(payload.subarray(4));
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const encodeIdOnly = (id: number): Uint8Array => withId(id);

export const encodeList = (id: number, commands: readonly OfferedCommand[]): Uint8Array => withId(id, utf8Encode(JSON.stringify({ commands })));
export const decodeList = (payload: Uint8Array): OfferedCommand[] | undefined => jsonBody(payload, listSchema, REMOTE_LIMITS.maxListBytes)?.commands;

export const encodeRun = (id: number, run: RunRequest): Uint8Array => withId(id, utf8Encode(JSON.stringify(run)));
export const decodeRun = (payload: Uint8Array): RunRequest | undefined => jsonBody(payload, runSchema, REMOTE_LIMITS.maxRunBytes);

export function encodeOutput(id: number, stream: OutputStreamName, bytes: Uint8Array): Uint8Array {
  const body = new Uint8Array(1 + bytes.length);
  body[0] = stream === 'stdout' ? OutputStream.STDOUT : OutputStream.STDERR;
  body.set(bytes, 1);
  return withId(id, body);
}

export function decodeOutput(payload: Uint8Array): { stream: OutputStreamName; bytes: Uint8Array } | undefined {
  if (payload.length < 5 || payload.length - 5 > REMOTE_LIMITS.outputChunkBytes) return undefined;
  const stream = payload[4] === OutputStream.STDOUT ? 'stdout' : payload[4] === OutputStream.STDERR ? 'stderr' : undefined;
  return stream ? { stream, bytes: payload.subarray(5) } : undefined;
}

/** RC_EXIT: id ‖ exit code (i32) ‖ flags (1) ‖ bytes (u32) ‖ duration ms (u32). */
export function encodeExit(id: number, exit: RunExit): Uint8Array {
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setInt32(0, exit.exitCode | 0);
  body[4] =
    (exit.truncated ? EXIT_FLAGS.truncated : 0) |
    (exit.timedOut ? EXIT_FLAGS.timedOut : 0) |
    (exit.cancelled ? EXIT_FLAGS.cancelled : 0) |
    (exit.signalled ? EXIT_FLAGS.signalled : 0);
  view.setUint32(5, Math.min(exit.bytes, 0xffffffff) >>> 0);
  view.setUint32(9, Math.min(Math.max(0, Math.round(exit.durationMs)), 0xffffffff) >>> 0);
  return withId(id, body);
}

export function decodeExit(payload: Uint8Array): RunExit | undefined {
  if (payload.length !== 17) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset + 4, 13);
  const flags = payload[8];
  if (flags > 15) return undefined;
  return {
    exitCode: view.getInt32(0),
    truncated: (flags & EXIT_FLAGS.truncated) !== 0,
    timedOut: (flags & EXIT_FLAGS.timedOut) !== 0,
    cancelled: (flags & EXIT_FLAGS.cancelled) !== 0,
    signalled: (flags & EXIT_FLAGS.signalled) !== 0,
    bytes: view.getUint32(5),
    durationMs: view.getUint32(9),
  };
}

/** RC_REFUSED: id ‖ code (1, RemoteRefusal) ‖ a sentence (UTF-8, at most 1 KiB). */
export function encodeRefused(id: number, code: number, message: string): Uint8Array {
  let text = utf8Encode(message);
  if (text.length > REMOTE_LIMITS.maxRefusalBytes) text = utf8Encode(message.slice(0, REMOTE_LIMITS.maxRefusalBytes / 4));
  const body = new Uint8Array(1 + text.length);
  body[0] = code & 0xff;
  body.set(text, 1);
  return withId(id, body);
}

export function decodeRefused(payload: Uint8Array): { code: number; message: string } | undefined {
  if (payload.length < 5 || payload.length - 5 > REMOTE_LIMITS.maxRefusalBytes) return undefined;
  const message = utf8DecodeStrict(payload.subarray(5));
  return message === undefined ? undefined : { code: payload[4], message };
}
