/**
 * How a packet is named for a person: the log, the inspector, exported logs, capture comments
 * and the CLI's lines all call this, so a packet reads the same everywhere.
 *
 * Under an MSP v3 session every service message travels as SEALED_SERVICE with its real TYPE
 * inside the sealed plaintext. The wire name alone would hide what a transfer is doing, so a
 * sealed service message is named by both: "SEALED_SERVICE › FT_CHUNK". The inner TYPE comes
 * from the session that opened (or sealed) the message; nothing here decrypts anything.
 */
import { PacketType, packetTypeName } from './types.ts';

/** Between the wire TYPE and the inner one: "SEALED_SERVICE › FT_CHUNK". */
export const INNER_TYPE_SEPARATOR = ' › ';

export interface PacketLabelParts {
  /** The TYPE on the wire ("SEALED_SERVICE", "DATA", "0x7E"). */
  wire: string;
  /** A sealed service message's inner TYPE ("FT_CHUNK"), when the session told us. */
  inner?: string;
}

/**
 * The parts of a packet's name. `innerType` counts only for SEALED_SERVICE (every other TYPE
 * is what it says on the wire); without it, a sealed message is named as the wire shows it.
 */
export function packetLabelParts(type: number, innerType?: number): PacketLabelParts {
  const wire = packetTypeName(type);
  return type === PacketType.SEALED_SERVICE && innerType !== undefined ? { wire, inner: packetTypeName(innerType) } : { wire };
}

/** A packet's name in one string: "DATA", "SEALED_SERVICE › FT_CHUNK". */
export function packetLabel(type: number, innerType?: number): string {
  const { wire, inner } = packetLabelParts(type, innerType);
  return inner === undefined ? wire : `${wire}${INNER_TYPE_SEPARATOR}${inner}`;
}
