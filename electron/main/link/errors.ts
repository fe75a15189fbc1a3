/** Link-layer errors as data: a code to branch on and a sentence a person can act on. */
import type { CryptoErrorCode } from './crypto/errors.ts';

export type LinkErrorCode =
  | 'LINK_ERR_REFUSED'
  | 'LINK_ERR_HOST_NOT_FOUND'
  | 'LINK_ERR_CONNECT_TIMEOUT'
  | 'LINK_ERR_ADDR_IN_USE'
  | 'LINK_ERR_ADDR_NOT_AVAILABLE'
  | 'LINK_ERR_PERMISSION'
  | 'LINK_ERR_RESET'
  | 'LINK_ERR_CLOSED'
  | 'LINK_ERR_ACK_TIMEOUT'
  | 'LINK_ERR_BAD_REPLY'
  | 'LINK_ERR_FRAME_TIMEOUT'
  | 'LINK_ERR_IDLE_TIMEOUT'
  | 'LINK_ERR_SLOW_READER'
  | 'LINK_ERR_TOO_MANY_CONNECTIONS'
  | 'LINK_ERR_TOO_MANY_FROM_ADDRESS'
  | 'LINK_ERR_FIRST_FRAME_TIMEOUT'
  | 'LINK_ERR_TOO_MUCH_JUNK'
  | 'LINK_ERR_PORT_NOT_FOUND'
  | 'LINK_ERR_PORT_BUSY'
  | 'LINK_ERR_PORT_PERMISSION'
  | 'LINK_ERR_UNSUPPORTED_SETTING'
  | 'LINK_ERR_PORT_DISCONNECTED'
  | 'LINK_ERR_PACKET_TOO_LARGE'
  | 'LINK_ERR_IO'
  | 'LINK_ERR_TLS_FINGERPRINT'
  | 'LINK_ERR_TLS_UNTRUSTED'
  | 'LINK_ERR_TLS_HANDSHAKE'
  | 'LINK_ERR_TLS_CERTIFICATE'
  // A secure channel ends a session with its own codes (CRYPTO_ERR_WRONG_PASSWORD, ...).
  | CryptoErrorCode;

export interface LinkError {
  code: LinkErrorCode;
  message: string;
}

export const linkError = (code: LinkErrorCode, message: string): LinkError => ({ code, message });

/** Maps a Node socket error to a LinkError; `where` is "127.0.0.1:9009" or a port path. */
export function linkErrorFromNode(error: unknown, where: string): LinkError {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return linkError('LINK_ERR_REFUSED', `Connection refused by ${where}: nothing is listening there.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return linkError('LINK_ERR_HOST_NOT_FOUND', `Host not found: ${where} could not be resolved.`);
    case 'ETIMEDOUT':
      return linkError('LINK_ERR_CONNECT_TIMEOUT', `Timed out connecting to ${where}.`);
    case 'EADDRINUSE':
      return linkError('LINK_ERR_ADDR_IN_USE', `Address in use: another program is already listening on ${where}.`);
    case 'EADDRNOTAVAIL':
      return linkError('LINK_ERR_ADDR_NOT_AVAILABLE', `${where} is not an address of this computer.`);
    case 'EACCES':
    case 'EPERM':
      return linkError('LINK_ERR_PERMISSION', `Permission denied for ${where} (ports below 1024 need administrator rights).`);
    case 'ECONNRESET':
      return linkError('LINK_ERR_RESET', `Connection reset by ${where}.`);
    case 'EPIPE':
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_STREAM_WRITE_AFTER_END':
      return linkError('LINK_ERR_CLOSED', `The connection to ${where} is closed.`);
    default:
      return linkError('LINK_ERR_IO', `${where}: ${e?.message ?? String(error)}`);
  }
}
