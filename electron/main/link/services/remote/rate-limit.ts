/**
 * Runs per minute per peer address: a sliding window of the last minute's attempts. Every
 * attempt counts, refused ones too, so guessing arguments is as slow as running commands.
 * Bounded: at most MAX_PEERS addresses are remembered (the oldest forgotten first).
 */
const WINDOW_MS = 60_000;
const MAX_PEERS = 10_000;

export class PeerRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Counts one attempt from `peer`; false when it is over the limit (the attempt is still counted). */
  take(peer: string, now = Date.now()): boolean {
    const recent = (this.attempts.get(peer) ?? []).filter((at) => now - at < WINDOW_MS);
    const allowed = recent.length < this.perMinute;
    if (allowed) recent.push(now);
    this.attempts.delete(peer); // re-inserted last: the map's order is oldest use first
    this.attempts.set(peer, recent);
    if (this.attempts.size > MAX_PEERS) this.attempts.delete(this.attempts.keys().next().value as string);
    return allowed;
  }
}
