/**
 * Our DATA waiting for the peer's ACK. MSP's ACK carries no reference, so ACKs pair with DATA
 * in order, oldest first (as msp.py's stop-and-wait does); each wait has its own timer.
 */
import type { LinkError } from './errors.ts';

export type SendResult = { ok: true; rttMs?: number; id: number } | { ok: false; error: LinkError; id?: number };

interface Waiting {
  dataId: number;
  sentAt: number;
  timer: NodeJS.Timeout | undefined;
  resolve: (result: SendResult) => void;
}

export class AckPairing {
  private readonly waiting: Waiting[] = [];

  /** `timedOut` is told (to log it) when a DATA's wait ran out; its send then fails with `error`. */
  constructor(private readonly timedOut: (dataId: number) => LinkError) {}

  /** Waits for the ACK of `dataId`, sent now: resolves with its round trip, or the timeout's error. */
  wait(dataId: number, timeoutMs: number): Promise<SendResult> {
    return new Promise((resolve) => {
      const entry: Waiting = { dataId, sentAt: performance.now(), timer: undefined, resolve };
      entry.timer = setTimeout(() => {
        const index = this.waiting.indexOf(entry);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        resolve({ ok: false, id: dataId, error: this.timedOut(dataId) });
      }, timeoutMs);
      this.waiting.push(entry);
    });
  }

  /** The peer's ACK: settles our oldest waiting DATA. Undefined for an ACK nobody asked for. */
  pair(): { dataId: number; rttMs: number } | undefined {
    const entry = this.waiting.shift();
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    const rttMs = performance.now() - entry.sentAt;
    entry.resolve({ ok: true, rttMs, id: entry.dataId });
    return { dataId: entry.dataId, rttMs };
  }

  /** The session ended: every wait fails with `reason`. */
  failAll(reason: LinkError): void {
    for (const entry of this.waiting.splice(0)) {
      clearTimeout(entry.timer);
      entry.resolve({ ok: false, error: reason, id: entry.dataId });
    }
  }
}
