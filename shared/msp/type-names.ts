/**
 * Every TYPE byte's name, in one map: the log, the inspector and the Wireshark dissector
 * (docs/wireshark/msp.lua, whose table is generated from this file and checked against it by
 * tests/unit/wireshark-lua.test.ts) all name types the same way.
 */
import { packetTypeName } from './types.ts';

/** The service ranges (docs/PROTOCOL.md, "Services") a TYPE without a name of its own belongs to. */
export const SERVICE_RANGE_NAMES: ReadonlyArray<readonly [number, number, string]> = [
  [0x12, 0x1f, 'service'],
  [0x40, 0x4f, 'file transfer'],
  [0x50, 0x5f, 'remote control'],
  [0x60, 0x6f, 'automation'],
  [0x70, 0x7f, 'reserved service'],
];

/** The TYPE bytes that have a name (DATA, ACK, the secure-session and service types...). */
export const MSP_TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Array.from({ length: 256 }, (_, type) => [type, packetTypeName(type)] as const).filter(([, name]) => !name.startsWith('0x')),
);

/** A TYPE's name: its own, else its service range's with the byte ("file transfer 0x41"), else the byte. */
export function typeDisplayName(type: number): string {
  const own = MSP_TYPE_NAMES.get(type);
  if (own) return own;
  const range = SERVICE_RANGE_NAMES.find(([lo, hi]) => type >= lo && type <= hi);
  const hex = `0x${type.toString(16).toUpperCase().padStart(2, '0')}`;
  return range ? `${range[2]} ${hex}` : hex;
}
