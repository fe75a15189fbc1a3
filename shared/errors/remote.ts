/**
 * Why the controlled side refused a remote-control request (RC_REFUSED's code byte, and the
 * code the controller's CLI and UI show). docs/PROTOCOL.md, "Remote control".
 */
export const RemoteRefusal = {
  /** No command by that name is allowed here. */
  REMOTE_ERR_UNKNOWN_COMMAND: 1,
  /** An argument is missing, extra, or does not fit its parameter (pattern, range, enum, folder). */
  REMOTE_ERR_BAD_ARGUMENT: 2,
  /** This peer asked too often (runs per minute). */
  REMOTE_ERR_RATE_LIMITED: 3,
  /** As many commands as allowed already run. */
  REMOTE_ERR_BUSY: 4,
  /** A confirm-first command the local user declined, or nobody was there to ask. */
  REMOTE_ERR_NOT_CONFIRMED: 5,
  /** The local user revoked this peer's remote control. */
  REMOTE_ERR_REVOKED: 6,
  /** The program could not be started (not found, not executable). */
  REMOTE_ERR_START_FAILED: 7,
  /** The request itself is malformed (not the layout of docs/PROTOCOL.md). */
  REMOTE_ERR_BAD_REQUEST: 8,
} as const;

export type RemoteRefusalCode = keyof typeof RemoteRefusal;

/** Controller-side errors: the peer cannot be controlled, or stopped answering. */
export type RemoteClientErrorCode =
  /** This session is not password-authenticated (plain, msp-secure.py): remote control is refused before asking. */
  | 'REMOTE_ERR_NEEDS_AUTHENTICATION'
  /** The peer does not offer remote control (no commands file, or an older program). */
  | 'REMOTE_ERR_NOT_OFFERED'
  /** The peer sent something that is not the layout of docs/PROTOCOL.md. */
  | 'REMOTE_ERR_BAD_REPLY'
  /** No answer in time. */
  | 'REMOTE_ERR_TIMEOUT'
  /** The session ended while a request was under way. */
  | 'REMOTE_ERR_CLOSED'
  /** The app's commands file (or its audit log) cannot be used: the message names the field. */
  | 'REMOTE_ERR_COMMANDS_FILE'
  /** get-file or put-file cannot start here: no file transfer on the session, a local file that cannot be read, one already under way. */
  | 'REMOTE_ERR_FILE';

export type RemoteErrorCode = RemoteRefusalCode | RemoteClientErrorCode;

const BY_BYTE = new Map<number, RemoteRefusalCode>(Object.entries(RemoteRefusal).map(([code, byte]) => [byte, code as RemoteRefusalCode]));

/** The code for a refusal byte from the wire; an unknown byte is a bad reply, not a crash. */
export function refusalCodeOf(byte: number): RemoteRefusalCode | undefined {
  return BY_BYTE.get(byte);
}
