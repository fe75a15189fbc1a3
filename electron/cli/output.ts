/** What the CLI prints: a readable line per event, or one JSON object per line with --json. */
import { PacketType, VERSION_V3, packetLabel, packetLabelParts, toHex, utf8DecodeStrict, type Packet } from '../../shared/msp/index.ts';
import { alertName, decodeAlert } from '../main/link/crypto/v3/messages.ts';
import type { SessionSecurity } from '../main/link/secure-channel.ts';

export interface Printer {
  event(name: string, fields: Record<string, unknown>, text: string): void;
  error(text: string): void;
}

export function makePrinter(json: boolean, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Printer {
  return {
    event(name, fields, text) {
      out.write(json ? JSON.stringify({ event: name, ...fields }) + '\n' : text + '\n');
    },
    error(text) {
      err.write(text + '\n');
    },
  };
}

/**
 * Fields that describe a packet in JSON, and a one-line summary for people. `serviceType`: the
 * session's word on a service message's TYPE; a SEALED_SERVICE is named by it (packetLabel:
 * "SEALED_SERVICE › FT_CHUNK"), and its JSON keeps `type` as on the wire with `inner_type` beside it.
 */
export function describePacket(packet: Packet, plaintext?: Uint8Array, serviceType?: number): { fields: Record<string, unknown>; summary: string } {
  if (packet.type === PacketType.ALERT && packet.version === VERSION_V3) {
    const alert = alertName(decodeAlert(packet));
    return { fields: { type: 'ALERT', version: packet.version, length: packet.payload.length + 7, alert }, summary: `ALERT v3 (${alert})` };
  }
  const body = plaintext ?? packet.payload;
  const text = utf8DecodeStrict(body);
  const name = packetLabelParts(packet.type, serviceType);
  const fields: Record<string, unknown> = {
    type: name.wire,
    ...(name.inner !== undefined ? { inner_type: name.inner } : {}),
    version: packet.version,
    length: packet.payload.length + 7,
    ...(text !== undefined ? { text } : { hex: toHex(body, '') }),
    ...(plaintext ? { encrypted: true } : {}),
  };
  const shown = text !== undefined ? JSON.stringify(text) : `hex ${toHex(body)}`;
  const summary = `${packetLabel(packet.type, serviceType)} v${packet.version} ${plaintext ? '(decrypted) ' : ''}${shown}`;
  return { fields, summary };
}

export const describeSkipped = (bytes: number): string => `skipped ${bytes} bytes that are not MSP frames`;

/** The decoder's summary of rejects it only counted (after a few reported one by one). */
export const describeSuppressed = (frames: number, bytes: number): string =>
  `${frames} more bad frames and ${bytes} more skipped bytes since the last good packet, not shown one by one`;

/** "MSP v3 (…), inside TLS 1.3" and the like: what protects a session, in words. */
export function describeSecurity({ transport, packets }: SessionSecurity): string {
  const inner =
    packets === 'v3'
      ? 'MSP v3 (AES-256-GCM, keys from the password)'
      : packets === 'legacy-weak'
        ? "msp-secure.py's AES-CBC (weak)"
        : undefined;
  if (transport === 'tls') return inner ? `${inner}, inside TLS 1.3` : 'TLS 1.3';
  return inner ?? 'none: plaintext';
}
