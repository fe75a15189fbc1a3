/** Link-layer errors as data: a code to branch on and a sentence a person can act on. */
import type { LinkErrorCode } from '../../../shared/errors/link.ts';

export type { LinkErrorCode };

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
