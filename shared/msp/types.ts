/** Packet types and the shapes the codec hands out. */

export const PacketType = {
  DATA: 0x10,
  ACK: 0x11,
  ENCRYPTED_DATA: 0x20,
} as const;

export type KnownPacketType = (typeof PacketType)[keyof typeof PacketType];

const TYPE_NAMES: Record<number, string> = {
  [PacketType.DATA]: 'DATA',
  [PacketType.ACK]: 'ACK',
  [PacketType.ENCRYPTED_DATA]: 'ENCRYPTED_DATA',
};

/** A human name for a TYPE byte; unknown types are shown as hex, never rejected. */
export function packetTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `0x${type.toString(16).padStart(2, '0').toUpperCase()}`;
}

/** A decoded packet. The payload is bytes: text is the common case, not a rule. */
export interface Packet {
  version: number;
  type: number;
  payload: Uint8Array;
}

/** Error codes of the codec layer (strings so they survive IPC, JSON and logs). */
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

export interface MspError {
  code: MspErrorCode;
  message: string;
}

export type Result<T, E = MspError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
