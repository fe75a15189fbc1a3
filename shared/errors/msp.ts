/** Error codes of the MSP codec (strings so they survive IPC, JSON and logs). */

/** What the codec says about bytes: a frame or packet fields. */
export type MspErrorCode =
  | 'MSP_ERR_BAD_SYNC'
  | 'MSP_ERR_TOO_SHORT'
  | 'MSP_ERR_BAD_LENGTH'
  | 'MSP_ERR_TOO_LARGE'
  | 'MSP_ERR_BAD_CRC'
  | 'MSP_ERR_INVALID_UTF8'
  | 'MSP_ERR_TRUNCATED'
  | 'MSP_ERR_PAYLOAD_TOO_LARGE'
  | 'MSP_ERR_BAD_FIELD';

/** Hex a person typed that is not hex (never from the wire: the send box words it itself). */
export type MspInputErrorCode = 'MSP_ERR_BAD_HEX';

export interface MspError {
  code: MspErrorCode;
  message: string;
}
