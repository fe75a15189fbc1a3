/**
 * Link impairment, as netem does it for IP, for MSP links (TCP or serial): what the bridge
 * and the server do to each packet they send. Given as text (`--impair
 * "delay=50ms,jitter=10ms,drop=1%"`) or as a JSON object with the same keys; read here once,
 * for the CLI and the app, with an error that names the key. Applied by
 * electron/main/link/impairment.ts.
 *
 *   delay=50ms     each packet waits this long (ms or s)     jitter=10ms  plus or minus up to this
 *   rate=64kbit    at most this many bits per second (bit, kbit, mbit, gbit)
 *   drop=1%        lost          corrupt=1%   one bit flipped     duplicate=1%  sent twice
 *   split=1%       sent in two writes, so it arrives in two reads
 *   reorder=1%     held back and sent after the next packet
 * Packets keep their order except when reordered (jitter never overtakes).
 */
import { IMPAIRMENT_LIMITS } from '../limits.ts';

export interface Impairment {
  delayMs: number;
  jitterMs: number;
  /** Bits per second; 0 = no limit. */
  rateBitsPerSecond: number;
  /** Probabilities, 0..1. */
  drop: number;
  corrupt: number;
  duplicate: number;
  split: number;
  reorder: number;
}

export const NO_IMPAIRMENT: Impairment = { delayMs: 0, jitterMs: 0, rateBitsPerSecond: 0, drop: 0, corrupt: 0, duplicate: 0, split: 0, reorder: 0 };

type Key = 'delay' | 'jitter' | 'rate' | 'drop' | 'corrupt' | 'duplicate' | 'split' | 'reorder';
const KEYS: readonly Key[] = ['delay', 'jitter', 'rate', 'drop', 'corrupt', 'duplicate', 'split', 'reorder'];

export type ImpairmentResult = { ok: true; value: Impairment } | { ok: false; message: string };

/** `delay=50ms,jitter=10ms,drop=1%` (commas or spaces between settings). */
export function parseImpairment(text: string): ImpairmentResult {
  if (text.length > IMPAIRMENT_LIMITS.specChars) return { ok: false, message: `longer than ${IMPAIRMENT_LIMITS.specChars} characters` };
  const pairs: Array<[string, string]> = [];
  for (const item of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { ok: false, message: `"${item}" is not key=value (for example drop=1%)` };
    pairs.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()]);
  }
  return fromPairs(pairs);
}

/** The same settings as a JSON object: `{"delay": "50ms", "drop": "1%"}`; bare numbers are ms, percent and bit/s. */
export function impairmentFromJson(json: unknown): ImpairmentResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, message: 'must be a JSON object such as {"delay": "50ms", "drop": "1%"}' };
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(json)) {
    if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, message: `${key}: must be a string such as "50ms" or a number` };
    pairs.push([key, typeof value === 'number' ? String(value) + (key === 'drop' || key === 'corrupt' || key === 'duplicate' || key === 'split' || key === 'reorder' ? '%' : '') : value]);
  }
  return fromPairs(pairs);
}

/** Whether this impairment does anything at all. */
export function impairs(impairment: Impairment): boolean {
  return KEYS.some((key) => (key === 'delay' ? impairment.delayMs : key === 'jitter' ? impairment.jitterMs : key === 'rate' ? impairment.rateBitsPerSecond : impairment[key]) > 0);
}

/** The impairment as text again, `delay=50ms,drop=1%` (what the CLI prints at start). */
export function describeImpairment(impairment: Impairment): string {
  const parts: string[] = [];
  if (impairment.delayMs) parts.push(`delay=${impairment.delayMs}ms`);
  if (impairment.jitterMs) parts.push(`jitter=${impairment.jitterMs}ms`);
  if (impairment.rateBitsPerSecond) parts.push(`rate=${impairment.rateBitsPerSecond}bit`);
  for (const key of ['drop', 'corrupt', 'duplicate', 'split', 'reorder'] as const) {
    if (impairment[key]) parts.push(`${key}=${+(impairment[key] * 100).toFixed(4)}%`);
  }
  return parts.join(',') || 'none';
}

function fromPairs(pairs: ReadonlyArray<[string, string]>): ImpairmentResult {
  const out: Impairment = { ...NO_IMPAIRMENT };
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (!(KEYS as readonly string[]).includes(key)) return { ok: false, message: `unknown setting "${key}": use ${KEYS.join(', ')}` };
    if (seen.has(key)) return { ok: false, message: `${key} is given twice` };
    seen.add(key);
    const k = key as Key;
    if (k === 'delay' || k === 'jitter') {
      const ms = duration(value);
      if (ms === undefined) return { ok: false, message: `${k}=${value}: must be a time such as 50ms or 0.2s, at most ${IMPAIRMENT_LIMITS.delayMs / 1000} s` };
      if (k === 'delay') out.delayMs = ms;
      else out.jitterMs = ms;
    } else if (k === 'rate') {
      const bits = rate(value);
      if (bits === undefined) {
        return { ok: false, message: `rate=${value}: must be bits per second such as 9600bit, 64kbit or 1mbit (${IMPAIRMENT_LIMITS.rateMinBitsPerSecond}bit or more)` };
      }
      out.rateBitsPerSecond = bits;
    } else {
      const p = percent(value);
      if (p === undefined) return { ok: false, message: `${k}=${value}: must be a percentage from 0% to 100%, such as 1% or 0.5%` };
      out[k] = p;
    }
  }
  return { ok: true, value: out };
}

function duration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  return ms <= IMPAIRMENT_LIMITS.delayMs ? ms : undefined;
}

function rate(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit)?$/i.exec(text);
  if (!m) return undefined;
  const scale = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 }[(m[2] ?? 'bit').toLowerCase() as 'bit'];
  const bits = Math.round(Number(m[1]) * scale);
  return bits >= IMPAIRMENT_LIMITS.rateMinBitsPerSecond && bits <= IMPAIRMENT_LIMITS.rateMaxBitsPerSecond ? bits : undefined;
}

function percent(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p <= 100 ? p / 100 : undefined;
}
