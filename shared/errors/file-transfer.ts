/** Error codes of MSP file transfer (docs/PROTOCOL.md, "File transfer"). */
export type FileTransferErrorCode =
  /** The receiver answered the offer with REFUSE (the message says why). */
  | 'FT_ERR_REFUSED'
  /** The received file's SHA-256 is not the offered one: the receiver deleted it. */
  | 'FT_ERR_HASH_MISMATCH'
  /** The receiver could not write or rename the file. */
  | 'FT_ERR_WRITE_FAILED'
  /** A side cancelled or paused the transfer. */
  | 'FT_ERR_CANCELLED'
  /** No progress for too long, or no answer to the offer. */
  | 'FT_ERR_TIMEOUT'
  /** The sender could not read its file. */
  | 'FT_ERR_READ'
  /** The peer does not offer file transfer (or the link cannot carry services). */
  | 'FT_ERR_NOT_OFFERED'
  /** The link dropped or failed during the transfer; a new run resumes it. */
  | 'FT_ERR_LINK';

export interface FileTransferError {
  code: FileTransferErrorCode;
  message: string;
}

export const transferError = (code: FileTransferErrorCode, message: string): FileTransferError => ({ code, message });
