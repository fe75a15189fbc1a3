/**
 * Limits password attempts per address (IPv6: per /64), so online guessing costs minutes,
 * not milliseconds. An attempt counts as a failure from the moment it starts (a HELLO, or
 * msp-secure.py's first packet) until it succeeds: handshakes opened in parallel cannot
 * all slip in before the first failure is counted. The limit is checked again when an
 * attempt completes, and only a few attempts may be under way at once from one address.
 */
import { addressGroup } from '../address-group.ts';

export interface FailureLimiterOptions {
  /** Failed (or unfinished) attempts allowed within `windowMs` before the address is refused. */
  maxFailures?: number;
  windowMs?: number;
  /** Attempts under way at once from one address. */
  maxConcurrent?: number;
  /** Addresses remembered at most (the oldest are forgotten first), so a flood cannot grow memory. */
  maxAddresses?: number;
}

export const DEFAULT_MAX_FAILURES = 5;
export const DEFAULT_FAILURE_WINDOW_MS = 60_000;
export const DEFAULT_MAX_CONCURRENT_ATTEMPTS = 3;

/** Why an attempt may not start or complete. */
export type AttemptRefusal = 'too-many-failures' | 'too-many-concurrent';

/** One password attempt: counted as failed unless `succeeded()` is called. */
export interface Attempt {
  /** The password was right: this attempt no longer counts against the address. */
  succeeded(): void;
  /** Checked when the attempt completes: did other attempts use up the address's allowance meanwhile? */
  blocked(): boolean;
  /** The attempt is over (either way): it no longer counts as under way. Safe to call twice. */
  end(): void;
}

interface AddressRecord {
  /** Start times of attempts that count as failures (every attempt, until it succeeds). */
  failures: number[];
  underWay: number;
}

export class FailureLimiter {
  private readonly records = new Map<string, AddressRecord>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxConcurrent: number;
  private readonly maxAddresses: number;

  constructor(options: FailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.windowMs = options.windowMs ?? DEFAULT_FAILURE_WINDOW_MS;
    this.maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_ATTEMPTS;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** `peer` is "192.0.2.7:50123", "[2001:db8::1]:50123" or a serial port path. */
  start(peer: string, now = Date.now()): { ok: true; attempt: Attempt } | { ok: false; why: AttemptRefusal } {
    const group = addressGroup(addressOf(peer));
    const record = this.record(group, now);
    if (record.failures.length >= this.maxFailures) return { ok: false, why: 'too-many-failures' };
    if (record.underWay >= this.maxConcurrent) return { ok: false, why: 'too-many-concurrent' };
    const startedAt = now;
    record.failures.push(startedAt);
    record.underWay++;
    this.records.set(group, record);
    let counted = true;
    let ended = false;
    const attempt: Attempt = {
      succeeded: () => {
        if (!counted) return;
        counted = false;
        const index = record.failures.indexOf(startedAt);
        if (index >= 0) record.failures.splice(index, 1);
      },
      // The others' failures, not this attempt's own: N parallel attempts get N guesses, never more.
      blocked: () => this.record(group, Date.now()).failures.length - (counted ? 1 : 0) >= this.maxFailures,
      end: () => {
        if (ended) return;
        ended = true;
        record.underWay--;
      },
    };
    return { ok: true, attempt };
  }

  /** This address's record, with failures outside the window dropped; the map keeps the most recent last. */
  private record(group: string, now: number): AddressRecord {
    const record = this.records.get(group) ?? { failures: [], underWay: 0 };
    record.failures = record.failures.filter((t) => now - t < this.windowMs);
    this.records.delete(group);
    if (record.failures.length > 0 || record.underWay > 0) this.records.set(group, record);
    if (this.records.size > this.maxAddresses) this.records.delete(this.records.keys().next().value!);
    return record;
  }
}

/** "192.0.2.7:50123" → "192.0.2.7", "[::1]:50123" → "::1"; a serial port path stays as it is. */
export function addressOf(peer: string): string {
  const match = /^\[(.*)\]:\d+$/.exec(peer) ?? /^([^:]*):\d+$/.exec(peer);
  return match ? match[1] : peer;
}
