/**
 * How much a file sender keeps in flight, and how long it waits before going back: tuned from
 * what it measures. The window is twice the bandwidth-delay product, measured as the delivery
 * rate times the smallest round trip seen (the smallest, because a full queue inflates every
 * later sample: sizing by the average would only grow the queue). The retransmission timeout
 * follows the smoothed round trip and its variation (as TCP's, RFC 6298) and doubles after each
 * timeout until progress resumes.
 */
const MIN_RTO_MS = 200;
const MAX_RTO_MS = 10_000;
/** Delivery rate is measured over spans at least this long (ms), so one ACK is not a rate. */
const RATE_SPAN_MS = 50;
/**
 * A smallest round trip below this (loopback, a LAN) counts as this long when sizing the window.
 * The rate measured is capped by the window itself, so sizing by a round trip of a millisecond
 * kept the window at its floor (four chunks) and the link mostly idle; with this the window
 * grows until queueing adds about twice this to the round trip, or it reaches its maximum. A
 * serial line's round trips are longer than this, so its window is sized as before.
 */
const MIN_SIZING_RTT_MS = 10;

export class SendWindow {
  private srtt: number | undefined;
  private rttvar = 0;
  private minRtt = Infinity;
  private backoff = 1;
  private rateBytesPerMs = 0;
  private spanStart = 0;
  private spanBytes = 0;

  constructor(
    private readonly chunk: number,
    private readonly maxWindow: number,
  ) {}

  /** Bytes that may be in flight now. */
  get bytes(): number {
    const floor = Math.min(4 * this.chunk, this.maxWindow);
    if (this.srtt === undefined || this.rateBytesPerMs === 0) return floor;
    return Math.max(floor, Math.min(this.maxWindow, Math.ceil(2 * this.rateBytesPerMs * Math.max(this.minRtt, MIN_SIZING_RTT_MS))));
  }

  /** How long to wait for progress before sending again from the last byte acknowledged (ms). */
  get rtoMs(): number {
    const base = this.srtt === undefined ? 1000 : this.srtt + Math.max(4 * this.rttvar, 20);
    return Math.min(MAX_RTO_MS, Math.max(MIN_RTO_MS, base) * this.backoff);
  }

  get smoothedRttMs(): number | undefined {
    return this.srtt;
  }

  /** A round trip measured on a chunk sent once (never on a resent one: its ACK is ambiguous). */
  rtt(sampleMs: number): void {
    const sample = Math.max(sampleMs, 0.05);
    this.minRtt = Math.min(this.minRtt, sample);
    if (this.srtt === undefined) {
      this.srtt = sample;
      this.rttvar = sample / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - sample);
      this.srtt = 0.875 * this.srtt + 0.125 * sample;
    }
  }

  /** `bytes` newly acknowledged at `nowMs`. */
  acked(bytes: number, nowMs: number): void {
    this.backoff = 1;
    if (this.spanStart === 0) this.spanStart = nowMs;
    this.spanBytes += bytes;
    const span = nowMs - this.spanStart;
    if (span >= RATE_SPAN_MS) {
      const rate = this.spanBytes / span;
      this.rateBytesPerMs = this.rateBytesPerMs === 0 ? rate : 0.75 * this.rateBytesPerMs + 0.25 * rate;
      this.spanStart = nowMs;
      this.spanBytes = 0;
    }
  }

  /** Nothing came back in time: wait longer next time, and start again from the smallest window. */
  timedOut(): void {
    this.backoff = Math.min(this.backoff * 2, 64);
    this.lost();
  }

  /**
   * Chunks were lost or damaged (a NAK, a timeout): the window goes back to its floor and grows
   * again from the rate measured after it, so a bad line is not sent a whole window again each time.
   */
  lost(): void {
    this.rateBytesPerMs = 0;
    this.spanStart = 0;
    this.spanBytes = 0;
  }
}
