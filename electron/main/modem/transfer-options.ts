/** What every sender and receiver takes besides the line and the files. */
import type { ModemEvent } from '../../../shared/modem/protocols.ts';

export interface TransferOptions {
  /** Wait this long for the peer before resending (ms). */
  timeoutMs: number;
  /** Resends in a row without progress before giving up. */
  maxRetries: number;
  onEvent?: (event: ModemEvent) => void;
}
