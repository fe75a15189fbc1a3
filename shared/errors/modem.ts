/** Error codes of X/Y/ZMODEM transfers (electron/main/modem/). */
export type ModemErrorCode =
  /** The peer never started (no 'C'/NAK, no ZRINIT/ZRQINIT) or stopped answering. */
  | 'MODEM_ERR_TIMEOUT'
  /** The peer sent CAN CAN... or ZABORT/ZCAN. */
  | 'MODEM_ERR_CANCELLED'
  /** Too many bad blocks or resend requests in a row: the line is too noisy or out of step. */
  | 'MODEM_ERR_TOO_MANY_ERRORS'
  /** The peer broke the protocol (an impossible block number, a command, an offset past the end). */
  | 'MODEM_ERR_PROTOCOL'
  /** A received file is larger than --max-file-size allows (said in advance or sent anyway). */
  | 'MODEM_ERR_TOO_LARGE'
  /** The offered name cannot be made safe (nothing is left after removing what is unsafe). */
  | 'MODEM_ERR_UNSAFE_NAME'
  /** Reading a file to send or writing a received one failed. */
  | 'MODEM_ERR_FILE'
  /** The line closed under us. */
  | 'MODEM_ERR_CLOSED'
  /** Stopped by our user. */
  | 'MODEM_ERR_STOPPED'
  /** The app: the port is the one this window's MSP link has open (the two would fight over its bytes). */
  | 'MODEM_ERR_PORT_IN_USE'
  /** The app: a transfer is already running in this window. */
  | 'MODEM_ERR_BUSY'
  /** Raw TCP: the connection could not be made. */
  | 'MODEM_ERR_CONNECT';

export interface ModemError {
  code: ModemErrorCode;
  message: string;
}

export function modemError(code: ModemErrorCode, message: string): ModemError {
  return { code, message };
}
