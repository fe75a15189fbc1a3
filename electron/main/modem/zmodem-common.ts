/** What the ZMODEM sender and receiver share: cancelling and turning channel outcomes into errors. */
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { CANCEL_FLUSH_MS, type ModemLine } from './line.ts';
import type { ChannelEvent } from './zmodem-channel.ts';

/**
 * Eight CANs (five cancel) and backspaces over them, as lrzsz does; they go behind up to a
 * window of queued data, and the port is closed after, so wait until they have left.
 */
export async function sendZmodemCancel(line: ModemLine): Promise<void> {
  await line.writeThrough(Uint8Array.from([24, 24, 24, 24, 24, 24, 24, 24, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8]), CANCEL_FLUSH_MS);
}

export function channelError(event: ChannelEvent, waitingFor: string): ModemError {
  switch (event.kind) {
    case 'cancel':
      return modemError('MODEM_ERR_CANCELLED', `The peer cancelled the transfer while we waited for ${waitingFor}.`);
    case 'closed':
      return modemError('MODEM_ERR_CLOSED', `The line closed while we waited for ${waitingFor}.`);
    case 'stopped':
      return modemError('MODEM_ERR_STOPPED', 'Stopped.');
    case 'timeout':
      return modemError('MODEM_ERR_TIMEOUT', `No answer while we waited for ${waitingFor}.`);
    default:
      return modemError('MODEM_ERR_PROTOCOL', `Unexpected ${event.kind} while we waited for ${waitingFor}.`);
  }
}
