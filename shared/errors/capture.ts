/** Error codes of reading a capture file (.pcap / .pcapng): a file is hostile input like any peer. */
export type CaptureErrorCode =
  /** Not a pcap or pcapng file at all (wrong magic number). */
  | 'CAPTURE_ERR_NOT_A_CAPTURE'
  /** The file ends in the middle of a header, block or packet record. */
  | 'CAPTURE_ERR_TRUNCATED'
  /** A length or field that cannot be right (a block shorter than its header, lengths that disagree...). */
  | 'CAPTURE_ERR_CORRUPT'
  /** Larger than we read at once. */
  | 'CAPTURE_ERR_TOO_LARGE'
  /** The file could not be read or written (missing, permission, disk full). */
  | 'CAPTURE_ERR_FILE';

export interface CaptureError {
  code: CaptureErrorCode;
  message: string;
}
