/** Packet types and the shapes the codec hands out. */
import { hexByte } from './hex.ts';
import { FILE_TRANSFER_NAMES } from './file-transfer.ts';

export const PacketType = {
  DATA: 0x10,
  ACK: 0x11,
  // Services (docs/PROTOCOL.md, "Services"): discovery, and "not here" instead of silence.
  SERVICES_QUERY: 0x12,
  SERVICES_LIST: 0x13,
  UNSUPPORTED: 0x14,
  ENCRYPTED_DATA: 0x20,
  // MSP v3 secure sessions (docs/PROTOCOL.md), always with VERSION 3. The original answers
  // only 0x10 and 0x20, so it stays silent on these instead of ACKing a handshake.
  HELLO: 0x30,
  HELLO_REPLY: 0x31,
  CLIENT_CONFIRM: 0x32,
  SERVER_CONFIRM: 0x33,
  SEALED_DATA: 0x34,
  SEALED_ACK: 0x35,
  /** A service message under a v3 session: its plaintext is the inner TYPE ‖ the service payload. */
  SEALED_SERVICE: 0x36,
  ALERT: 0x3f,
  // Remote control (docs/PROTOCOL.md, "Remote control"): only on an authenticated session.
  RC_LIST_REQUEST: 0x50,
  RC_LIST: 0x51,
  RC_RUN: 0x52,
  RC_STARTED: 0x53,
  RC_OUTPUT: 0x54,
  RC_EXIT: 0x55,
  RC_REFUSED: 0x56,
  RC_CANCEL: 0x57,
} as const;

export type KnownPacketType = (typeof PacketType)[keyof typeof PacketType];

const TYPE_NAMES: Record<number, string> = {
  [PacketType.DATA]: 'DATA',
  [PacketType.ACK]: 'ACK',
  [PacketType.SERVICES_QUERY]: 'SERVICES_QUERY',
  [PacketType.SERVICES_LIST]: 'SERVICES_LIST',
  [PacketType.UNSUPPORTED]: 'UNSUPPORTED',
  [PacketType.ENCRYPTED_DATA]: 'ENCRYPTED_DATA',
  [PacketType.HELLO]: 'HELLO',
  [PacketType.HELLO_REPLY]: 'HELLO_REPLY',
  [PacketType.CLIENT_CONFIRM]: 'CLIENT_CONFIRM',
  [PacketType.SERVER_CONFIRM]: 'SERVER_CONFIRM',
  [PacketType.SEALED_DATA]: 'SEALED_DATA',
  [PacketType.SEALED_ACK]: 'SEALED_ACK',
  [PacketType.SEALED_SERVICE]: 'SEALED_SERVICE',
  [PacketType.ALERT]: 'ALERT',
  // File transfer's own TYPEs (docs/PROTOCOL.md, "File transfer"): FT_OFFER, FT_CHUNK...
  ...FILE_TRANSFER_NAMES,
  [PacketType.RC_LIST_REQUEST]: 'RC_LIST_REQUEST',
  [PacketType.RC_LIST]: 'RC_LIST',
  [PacketType.RC_RUN]: 'RC_RUN',
  [PacketType.RC_STARTED]: 'RC_STARTED',
  [PacketType.RC_OUTPUT]: 'RC_OUTPUT',
  [PacketType.RC_EXIT]: 'RC_EXIT',
  [PacketType.RC_REFUSED]: 'RC_REFUSED',
  [PacketType.RC_CANCEL]: 'RC_CANCEL',
};

/** A human name for a TYPE byte; unknown types are shown as hex, never rejected. */
export function packetTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `0x${hexByte(type)}`;
}

/** A decoded packet. The payload is bytes: text is the common case, not a rule. */
export interface Packet {
  version: number;
  type: number;
  payload: Uint8Array;
}

// The codec's error codes live with every other layer's, in shared/errors/.
export type { MspError, MspErrorCode } from '../errors/msp.ts';
