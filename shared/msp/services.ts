/**
 * The wire layout of service discovery (docs/PROTOCOL.md, "Services"): which TYPE values
 * belong to services, how a peer lists the services it offers, and how it says "not here".
 * Pure and bounded: a hostile SERVICES_LIST cannot make the decoder allocate or loop much.
 */
import { PacketType } from './types.ts';

/** TYPE ranges that belong to services. A peer answers an unclaimed one with UNSUPPORTED, never silence. */
export const SERVICE_TYPE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x12, 0x1f], // discovery and small built-in services
  [0x40, 0x7f], // file transfer 0x40-0x4F, remote control 0x50-0x5F, automation 0x60-0x6F, reserved
];

export function isServiceType(type: number): boolean {
  return SERVICE_TYPE_RANGES.some(([lo, hi]) => type >= lo && type <= hi);
}

/** Why a peer did not take a service message (UNSUPPORTED's reason byte). */
export const UnsupportedReason = {
  NO_SUCH_SERVICE: 1,
  NEEDS_AUTHENTICATION: 2,
} as const;

export interface OfferedService {
  id: string;
  version: number;
  types: number[];
}

/** Bounds on what a SERVICES_LIST may hold. */
export const MAX_SERVICES = 32;
export const MAX_SERVICE_ID = 32;

/** SERVICES_LIST payload: count ‖ per service: id length ‖ id (ASCII) ‖ version ‖ type count ‖ types. */
export function encodeServicesList(services: readonly OfferedService[]): Uint8Array {
  const bytes: number[] = [Math.min(services.length, MAX_SERVICES)];
  for (const service of services.slice(0, MAX_SERVICES)) {
    const id = [...service.id.slice(0, MAX_SERVICE_ID)].map((c) => c.charCodeAt(0) & 0x7f);
    bytes.push(id.length, ...id, service.version & 0xff, service.types.length & 0xff, ...service.types.map((t) => t & 0xff));
  }
  return Uint8Array.from(bytes);
}

/** The services in a SERVICES_LIST payload, or undefined when it is malformed. */
export function decodeServicesList(payload: Uint8Array): OfferedService[] | undefined {
  const count = payload[0];
  if (count === undefined || count > MAX_SERVICES) return undefined;
  const services: OfferedService[] = [];
  let at = 1;
  for (let i = 0; i < count; i++) {
    const idLength = payload[at];
    if (idLength === undefined || idLength === 0 || idLength > MAX_SERVICE_ID || at + 1 + idLength + 2 > payload.length) return undefined;
    const idBytes = payload.subarray(at + 1, at + 1 + idLength);
    if (idBytes.some((b) => b < 0x21 || b > 0x7e)) return undefined;
    const id = String.fromCharCode(...idBytes);
    at += 1 + idLength;
    const version = payload[at];
    const typeCount = payload[at + 1];
    at += 2;
    if (at + typeCount > payload.length) return undefined;
    services.push({ id, version, types: [...payload.subarray(at, at + typeCount)] });
    at += typeCount;
  }
  return at === payload.length ? services : undefined;
}

/** UNSUPPORTED payload: the TYPE that was not taken ‖ why (UnsupportedReason). */
export function encodeUnsupported(type: number, reason: number): Uint8Array {
  return Uint8Array.of(type & 0xff, reason & 0xff);
}

export function decodeUnsupported(payload: Uint8Array): { type: number; reason: number } | undefined {
  return payload.length === 2 ? { type: payload[0], reason: payload[1] } : undefined;
}

/** The discovery service's own TYPE values. */
export const DISCOVERY_TYPES = [PacketType.SERVICES_QUERY, PacketType.SERVICES_LIST, PacketType.UNSUPPORTED] as const;
