/**
 * Fields a saved packet fills in itself each time it is sent: a counter, a timestamp, random
 * bytes. LENGTH and CRC need no field: the encoder fills them as always.
 *
 *   {{counter}}          the counter as decimal text: 1 on the first send, then 2, 3, ...
 *   {{counter:u8}}       the counter as 1, 2 or 4 big-endian bytes (u8, u16, u32; it wraps)
 *   {{timestamp}}        the time as ISO 8601 text, UTC: 2026-11-30T23:44:01.123Z
 *   {{timestamp:unix}}   seconds since 1970 as decimal text; {{timestamp:ms}} milliseconds
 *   {{timestamp:u32}}    seconds since 1970 as 4 big-endian bytes
 *   {{random:N}}         N random bytes (1 to 1024)
 *   {{{{                 a literal "{{"
 *
 * In a text packet the rest is UTF-8 text; in a hex or raw packet it is hex (AA 55 ...).
 * Pure and bounded: the body's length, the number of fields and the bytes they make are capped.
 */
import { MAX_PACKET_SIZE, MAX_PAYLOAD_SIZE, parseHex, utf8Encode } from '../msp/index.ts';
import { fail, ok, type Result } from '../result.ts';

export type TemplateFormat = 'text' | 'hex' | 'raw';

/** Where the values of a send come from: the caller owns the counter, the clock and the randomness. */
export interface TemplateContext {
  counter: number;
  nowMs: number;
  random(count: number): Uint8Array;
}

export interface TemplateError {
  code: 'TEMPLATE_ERR_SYNTAX' | 'TEMPLATE_ERR_TOO_LARGE' | 'MSP_ERR_BAD_HEX';
  message: string;
  /** Index in the body of what is wrong, when known. */
  position?: number;
}

/** Fields in one body, at most. */
export const TEMPLATE_MAX_FIELDS = 256;
/** Random bytes one field may ask for. */
export const TEMPLATE_MAX_RANDOM = 1024;

type Field =
  | { kind: 'counter'; bytes: 0 | 1 | 2 | 4 }
  | { kind: 'timestamp'; as: 'iso' | 'unix' | 'ms' | 'u32' }
  | { kind: 'random'; count: number };

type Part = { kind: 'literal'; text: string; position: number } | { kind: 'field'; field: Field };

const COUNTER_BYTES: Record<string, 0 | 1 | 2 | 4> = { '': 0, u8: 1, u16: 2, u32: 4 };
const TIMESTAMP_AS: Record<string, 'iso' | 'unix' | 'ms' | 'u32'> = { '': 'iso', unix: 'unix', ms: 'ms', u32: 'u32' };

function parseField(spec: string): Field | undefined {
  const [name, arg = '', extra] = spec.trim().split(':');
  if (extra !== undefined) return undefined;
  if (name === 'counter' && arg in COUNTER_BYTES) return { kind: 'counter', bytes: COUNTER_BYTES[arg] };
  if (name === 'timestamp' && arg in TIMESTAMP_AS) return { kind: 'timestamp', as: TIMESTAMP_AS[arg] };
  if (name === 'random' && /^\d{1,4}$/.test(arg)) {
    const count = Number(arg);
    if (count >= 1 && count <= TEMPLATE_MAX_RANDOM) return { kind: 'random', count };
  }
  return undefined;
}

/** The body split into literal text and fields, or what is wrong with it. */
export function parseTemplate(body: string): Result<Part[], TemplateError> {
  const parts: Part[] = [];
  let literal = '';
  let literalStart = 0;
  let fields = 0;
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('{{', i);
    if (open < 0) {
      literal += body.slice(i);
      break;
    }
    literal += body.slice(i, open);
    if (body.startsWith('{{{{', open)) {
      literal += '{{';
      i = open + 4;
      continue;
    }
    const close = body.indexOf('}}', open + 2);
    const field = close < 0 ? undefined : parseField(body.slice(open + 2, close));
    if (!field) {
      const shown = close < 0 ? body.slice(open, open + 20) : body.slice(open, close + 2);
      return fail({
        code: 'TEMPLATE_ERR_SYNTAX',
        message: `"${shown}" at column ${open + 1} is not a field: use {{counter}}, {{timestamp}}, {{random:N}} (or {{{{ for a literal "{{").`,
        position: open,
      });
    }
    if (++fields > TEMPLATE_MAX_FIELDS) {
      return fail({ code: 'TEMPLATE_ERR_TOO_LARGE', message: `More than ${TEMPLATE_MAX_FIELDS} fields in one packet.`, position: open });
    }
    if (literal !== '') parts.push({ kind: 'literal', text: literal, position: literalStart });
    parts.push({ kind: 'field', field });
    literal = '';
    i = close + 2;
    literalStart = i;
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal, position: literalStart });
  return ok(parts);
}

function bigEndian(value: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = Math.floor(value) % 2 ** (8 * bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

function fieldBytes(field: Field, context: TemplateContext): Uint8Array {
  switch (field.kind) {
    case 'counter':
      return field.bytes === 0 ? utf8Encode(String(context.counter)) : bigEndian(context.counter, field.bytes);
    case 'timestamp': {
      const ms = context.nowMs;
      if (field.as === 'iso') return utf8Encode(new Date(ms).toISOString());
      if (field.as === 'ms') return utf8Encode(String(Math.floor(ms)));
      const seconds = Math.floor(ms / 1000);
      return field.as === 'unix' ? utf8Encode(String(seconds)) : bigEndian(seconds, 4);
    }
    case 'random':
      return context.random(field.count).subarray(0, field.count);
  }
}

/**
 * The bytes a body stands for now: a payload for text and hex (framed later), the wire bytes
 * themselves for raw. Never more than a packet can hold.
 */
export function resolveTemplate(format: TemplateFormat, body: string, context: TemplateContext): Result<Uint8Array, TemplateError> {
  const parsed = parseTemplate(body);
  if (!parsed.ok) return parsed;
  const max = format === 'raw' ? MAX_PACKET_SIZE : MAX_PAYLOAD_SIZE;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const part of parsed.value) {
    let bytes: Uint8Array;
    if (part.kind === 'field') {
      bytes = fieldBytes(part.field, context);
    } else if (format === 'text') {
      bytes = utf8Encode(part.text);
    } else {
      const hex = parseHex(part.text);
      if (!hex.ok) return fail({ ...hex.error, position: part.position + hex.error.position });
      bytes = hex.value;
    }
    size += bytes.length;
    if (size > max) {
      return fail({ code: 'TEMPLATE_ERR_TOO_LARGE', message: `The packet would be over ${max} bytes; an MSP ${format === 'raw' ? 'packet' : 'payload'} holds at most ${max}.` });
    }
    chunks.push(bytes);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return ok(out);
}

/** Checks a body without sending it (for import and the editor): the same verdict a send would give. */
export function checkTemplate(format: TemplateFormat, body: string): TemplateError | undefined {
  const result = resolveTemplate(format, body, { counter: 0, nowMs: 0, random: (n) => new Uint8Array(n) });
  return result.ok ? undefined : result.error;
}
