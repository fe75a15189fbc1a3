/** Error codes of the link layer: sockets, serial ports, TLS, and the secure channel's own. */
import type { CryptoErrorCode } from './crypto.ts';

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
