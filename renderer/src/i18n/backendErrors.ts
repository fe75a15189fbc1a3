/**
 * Errors made in main (link, secure channel, MSP parsing) carry an English sentence. The UI
 * words them again by code in its own language through `backend.<code>` message keys: English
 * is main's sentence itself ({message}), Japanese is ours (backendErrors.ja.ts).
 */
import type { AutomationErrorCode } from '../../../shared/errors/automation.ts';
import type { CaptureErrorCode } from '../../../shared/errors/capture.ts';
import type { CryptoErrorCode } from '../../../shared/errors/crypto.ts';
import type { LinkErrorCode } from '../../../shared/errors/link.ts';
import type { MspErrorCode } from '../../../shared/errors/msp.ts';
import type { FileTransferErrorCode } from '../../../shared/errors/file-transfer.ts';
import type { RemoteErrorCode } from '../../../shared/errors/remote.ts';
import type { ModemErrorCode } from '../../../shared/errors/modem.ts';

export type BackendErrorCode = LinkErrorCode | CryptoErrorCode | MspErrorCode | AutomationErrorCode | CaptureErrorCode | FileTransferErrorCode | RemoteErrorCode | ModemErrorCode;
export type BackendErrorKey = `backend.${BackendErrorCode}`;

/** Turns a table of sentences by code into message keys. */
export function backendMessages(sentences: Record<BackendErrorCode, string>): Record<BackendErrorKey, string> {
  const entries = Object.entries(sentences).map(([code, sentence]) => [`backend.${code}`, sentence]);
  return Object.fromEntries(entries) as Record<BackendErrorKey, string>;
}

const MAIN = '{message}';

/** English keeps main's own sentence for every code. */
export const backendErrorsEn = backendMessages({
  MODEM_ERR_TIMEOUT: MAIN,
  MODEM_ERR_CANCELLED: MAIN,
  MODEM_ERR_TOO_MANY_ERRORS: MAIN,
  MODEM_ERR_PROTOCOL: MAIN,
  MODEM_ERR_TOO_LARGE: MAIN,
  MODEM_ERR_UNSAFE_NAME: MAIN,
  MODEM_ERR_FILE: MAIN,
  MODEM_ERR_CLOSED: MAIN,
  MODEM_ERR_STOPPED: MAIN,
  MODEM_ERR_PORT_IN_USE: MAIN,
  MODEM_ERR_BUSY: MAIN,
  MODEM_ERR_CONNECT: MAIN,
  FT_ERR_REFUSED: MAIN,
  FT_ERR_HASH_MISMATCH: MAIN,
  FT_ERR_WRITE_FAILED: MAIN,
  FT_ERR_CANCELLED: MAIN,
  FT_ERR_TIMEOUT: MAIN,
  FT_ERR_READ: MAIN,
  FT_ERR_NOT_OFFERED: MAIN,
  FT_ERR_LINK: MAIN,
  LINK_ERR_REFUSED: MAIN,
  LINK_ERR_HOST_NOT_FOUND: MAIN,
  LINK_ERR_CONNECT_TIMEOUT: MAIN,
  LINK_ERR_ADDR_IN_USE: MAIN,
  LINK_ERR_ADDR_NOT_AVAILABLE: MAIN,
  LINK_ERR_PERMISSION: MAIN,
  LINK_ERR_RESET: MAIN,
  LINK_ERR_CLOSED: MAIN,
  LINK_ERR_ACK_TIMEOUT: MAIN,
  LINK_ERR_BAD_REPLY: MAIN,
  LINK_ERR_FRAME_TIMEOUT: MAIN,
  LINK_ERR_IDLE_TIMEOUT: MAIN,
  LINK_ERR_SLOW_READER: MAIN,
  LINK_ERR_TOO_MANY_CONNECTIONS: MAIN,
  LINK_ERR_TOO_MANY_FROM_ADDRESS: MAIN,
  LINK_ERR_FIRST_FRAME_TIMEOUT: MAIN,
  LINK_ERR_TOO_MUCH_JUNK: MAIN,
  LINK_ERR_NO_SERVICES: MAIN,
  LINK_ERR_PORT_NOT_FOUND: MAIN,
  LINK_ERR_PORT_BUSY: MAIN,
  LINK_ERR_PORT_PERMISSION: MAIN,
  LINK_ERR_UNSUPPORTED_SETTING: MAIN,
  LINK_ERR_PORT_DISCONNECTED: MAIN,
  LINK_ERR_PACKET_TOO_LARGE: MAIN,
  LINK_ERR_IO: MAIN,
  LINK_ERR_TLS_FINGERPRINT: MAIN,
  LINK_ERR_TLS_UNTRUSTED: MAIN,
  LINK_ERR_TLS_HANDSHAKE: MAIN,
  LINK_ERR_TLS_CERTIFICATE: MAIN,
  CRYPTO_ERR_WRONG_PASSWORD: MAIN,
  CRYPTO_ERR_NO_HANDSHAKE: MAIN,
  CRYPTO_ERR_SERVER_HAS_NO_PASSWORD: MAIN,
  CRYPTO_ERR_SERVER_AUTH: MAIN,
  CRYPTO_ERR_HANDSHAKE: MAIN,
  CRYPTO_ERR_BAD_TAG: MAIN,
  CRYPTO_ERR_REPLAY: MAIN,
  CRYPTO_ERR_OUT_OF_ORDER: MAIN,
  CRYPTO_ERR_PLAINTEXT_REFUSED: MAIN,
  CRYPTO_ERR_LEGACY_DECRYPT: MAIN,
  CRYPTO_ERR_LEGACY_REFUSED: MAIN,
  CRYPTO_ERR_TOO_MANY_FAILURES: MAIN,
  CRYPTO_ERR_TOO_LARGE: MAIN,
  CRYPTO_ERR_NOT_READY: MAIN,
  CRYPTO_ERR_EXHAUSTED: MAIN,
  CRYPTO_ERR_PEER_REJECTED: MAIN,
  MSP_ERR_BAD_SYNC: MAIN,
  MSP_ERR_TOO_SHORT: MAIN,
  MSP_ERR_BAD_LENGTH: MAIN,
  MSP_ERR_TOO_LARGE: MAIN,
  MSP_ERR_BAD_CRC: MAIN,
  MSP_ERR_INVALID_UTF8: MAIN,
  MSP_ERR_TRUNCATED: MAIN,
  MSP_ERR_PAYLOAD_TOO_LARGE: MAIN,
  MSP_ERR_BAD_FIELD: MAIN,
  // Saved packets and sequences (shared/errors/automation.ts).
  PACKETS_ERR_TOO_LARGE: MAIN,
  PACKETS_ERR_NOT_JSON: MAIN,
  PACKETS_ERR_INVALID: MAIN,
  PACKETS_ERR_NOT_FOUND: MAIN,
  PACKETS_ERR_WRITE: MAIN,
  TEMPLATE_ERR_SYNTAX: MAIN,
  TEMPLATE_ERR_TOO_LARGE: MAIN,
  SEQ_ERR_STEP_FAILED: MAIN,
  SEQ_ERR_STOPPED: MAIN,
  SEQ_ERR_TIME_LIMIT: MAIN,
  SEQ_ERR_STEP_LIMIT: MAIN,
  SEQ_ERR_BUSY: MAIN,
  CAPTURE_ERR_NOT_A_CAPTURE: MAIN,
  CAPTURE_ERR_TRUNCATED: MAIN,
  CAPTURE_ERR_CORRUPT: MAIN,
  CAPTURE_ERR_TOO_LARGE: MAIN,
  CAPTURE_ERR_FILE: MAIN,
  REMOTE_ERR_UNKNOWN_COMMAND: MAIN,
  REMOTE_ERR_BAD_ARGUMENT: MAIN,
  REMOTE_ERR_RATE_LIMITED: MAIN,
  REMOTE_ERR_BUSY: MAIN,
  REMOTE_ERR_NOT_CONFIRMED: MAIN,
  REMOTE_ERR_REVOKED: MAIN,
  REMOTE_ERR_START_FAILED: MAIN,
  REMOTE_ERR_BAD_REQUEST: MAIN,
  REMOTE_ERR_NEEDS_AUTHENTICATION: MAIN,
  REMOTE_ERR_NOT_OFFERED: MAIN,
  REMOTE_ERR_BAD_REPLY: MAIN,
  REMOTE_ERR_TIMEOUT: MAIN,
  REMOTE_ERR_CLOSED: MAIN,
  REMOTE_ERR_COMMANDS_FILE: MAIN,
  REMOTE_ERR_FILE: MAIN,
});
