/**
 * Counts failed passwords per address (msp-secure.py decryptions that fail, v3 key
 * confirmations that do not match) and refuses an address that fails too often: online
 * guessing and the CBC padding oracle then cost minutes, not milliseconds.
 */

export interface FailureLimiterOptions {
  /** Failures allowed within `windowMs` before the address is refused. */
  maxFailures?: number;
  windowMs?: number;
  /** Addresses remembered at most (the oldest are forgotten first), so a flood cannot grow memory. */
  maxAddresses?: number;
}

export const DEFAULT_MAX_FAILURES = 5;
export const DEFAULT_FAILURE_WINDOW_MS = 60_000;

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(options: FailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.windowMs = options.windowMs ?? DEFAULT_FAILURE_WINDOW_MS;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  isBlocked(address: string, now = Date.now()): boolean {
    return this.recent(address, now).length >= this.maxFailures;
  }

  recordFailure(address: string, now = Date.now()): void {
    const times = this.recent(address, now);
    times.push(now);
    this.failures.delete(address); // re-insert: Map order is then "least recently failed first"
    this.failures.set(address, times);
    if (this.failures.size > this.maxAddresses) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string, now: number): number[] {
    const times = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length === 0) this.failures.delete(address);
    return times;
  }
}

/** "192.0.2.7:50123" → "192.0.2.7", "[::1]:50123" → "::1"; a serial port path stays as it is. */
export function addressOf(peer: string): string {
  const match = /^\[(.*)\]:\d+$/.exec(peer) ?? /^([^:]*):\d+$/.exec(peer);
  return match ? match[1] : peer;
}
