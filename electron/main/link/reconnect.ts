/**
 * Connecting again after a failure or a dropped link, with pauses that double each time
 * (0.1 s, 0.2 s, 0.4 s, ... at most 5 s) so a restarting server is not hammered.
 */
import type { LinkError, LinkErrorCode } from './errors.ts';
import { connectTcp, type TcpClientOptions, type TcpConnectResult } from './tcp-client.ts';

/** Failures that may go away by themselves; the others (unknown host, bad reply...) will not. */
const TRANSIENT: ReadonlySet<LinkErrorCode> = new Set([
  'LINK_ERR_REFUSED',
  'LINK_ERR_CONNECT_TIMEOUT',
  'LINK_ERR_RESET',
  'LINK_ERR_CLOSED',
  'LINK_ERR_IO',
]);

export const isTransient = (error: LinkError): boolean => TRANSIENT.has(error.code);

/** A budget of retries and the pause before each; one budget may span several reconnections. */
export class Backoff {
  private used = 0;

  constructor(
    readonly retries: number,
    private readonly firstDelayMs = 100,
    private readonly maxDelayMs = 5000,
  ) {}

  /** Retries spent so far. */
  get attempts(): number {
    return this.used;
  }

  /** Spends one retry and returns the pause before it, or undefined when none are left. */
  next(): number | undefined {
    if (this.used >= this.retries) return undefined;
    const delay = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** this.used);
    this.used++;
    return delay;
  }
}

/**
 * connectTcp, tried again after transient failures while the backoff allows.
 * `onRetry` hears about each failure that is retried, and the pause before the retry.
 */
export async function connectTcpWithRetry(
  options: TcpClientOptions,
  backoff: Backoff,
  onRetry?: (error: LinkError, delayMs: number) => void,
): Promise<TcpConnectResult> {
  for (;;) {
    const result = await connectTcp(options);
    if (result.ok || !isTransient(result.error)) return result;
    const delayMs = backoff.next();
    if (delayMs === undefined) return result;
    onRetry?.(result.error, delayMs);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
