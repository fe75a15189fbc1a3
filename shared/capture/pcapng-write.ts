/**
 * pcapng blocks (draft-ietf-opsawg-pcapng), written little-endian: a section header, an
 * interface description per link, an enhanced packet per chunk of bytes. Pure functions that
 * return bytes, so a recorder can stream them to a file and the renderer can build a download.
 */
import { utf8Encode } from '../msp/text.ts';
import { OUR_APPLICATION } from './link-types.ts';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;

/** Our timestamps count microseconds (if_tsresol 6): Date.now() has only milliseconds, hrtime more. */
export const TS_RESOLUTION_DIGITS = 6;

interface BlockOption {
  code: number;
  value: Uint8Array;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** One block: type, total length, body, options (ended by opt_endofopt), total length again. */
function block(type: number, body: Uint8Array, options: readonly BlockOption[]): Uint8Array {
  let optionsLength = 0;
  for (const option of options) optionsLength += 4 + pad4(option.value.length);
  if (options.length > 0) optionsLength += 4;
  const total = 12 + pad4(body.length) + optionsLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  let at = 8 + pad4(body.length);
  for (const option of options) {
    view.setUint16(at, option.code, true);
    view.setUint16(at + 2, option.value.length, true);
    out.set(option.value, at + 4);
    at += 4 + pad4(option.value.length);
  }
  // opt_endofopt is four zero bytes, already there.
  view.setUint32(total - 4, total, true);
  return out;
}

const textOption = (code: number, text: string): BlockOption => ({ code, value: utf8Encode(text) });

/** The section header: byte order, version 1.0, unknown section length, and who wrote it. */
export function sectionHeaderBlock(): Uint8Array {
  const body = new Uint8Array(16);
  const view = new DataView(body.buffer);
  view.setUint32(0, BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true);
  view.setUint16(6, 0, true);
  view.setBigInt64(8, -1n, true);
  return block(BLOCK_SHB, body, [textOption(SHB_USERAPPL, OUR_APPLICATION)]);
}

export interface InterfaceDescription {
  linkType: number;
  /** if_name: a serial port's path, or "tcp" for the synthesized Ethernet. */
  name: string;
  description?: string;
}

export function interfaceDescriptionBlock(iface: InterfaceDescription): Uint8Array {
  const body = new Uint8Array(8);
  const view = new DataView(body.buffer);
  view.setUint16(0, iface.linkType, true);
  view.setUint32(4, 0, true); // snaplen 0: no limit
  const options = [textOption(IF_NAME, iface.name)];
  if (iface.description) options.push(textOption(IF_DESCRIPTION, iface.description));
  options.push({ code: IF_TSRESOL, value: Uint8Array.of(TS_RESOLUTION_DIGITS) });
  return block(BLOCK_IDB, body, options);
}

export interface EnhancedPacket {
  interfaceId: number;
  /** Microseconds since the epoch. */
  timestampUs: number;
  data: Uint8Array;
  /** Direction bits of epb_flags (link-types.ts Direction); left out when unknown. */
  direction?: number;
  /** opt_comment: the decrypted payload of a secure packet, or why the bytes are partial. */
  comment?: string;
}

export function enhancedPacketBlock(packet: EnhancedPacket): Uint8Array {
  const body = new Uint8Array(20 + packet.data.length);
  const view = new DataView(body.buffer);
  const ts = BigInt(Math.max(0, Math.round(packet.timestampUs)));
  view.setUint32(0, packet.interfaceId, true);
  view.setUint32(4, Number(ts >> 32n), true);
  view.setUint32(8, Number(ts & 0xffffffffn), true);
  view.setUint32(12, packet.data.length, true);
  view.setUint32(16, packet.data.length, true);
  body.set(packet.data, 20);
  const options: BlockOption[] = [];
  if (packet.direction) {
    const flags = new Uint8Array(4);
    new DataView(flags.buffer).setUint32(0, packet.direction & 3, true);
    options.push({ code: EPB_FLAGS, value: flags });
  }
  if (packet.comment) options.push(textOption(OPT_COMMENT, packet.comment));
  return block(BLOCK_EPB, body, options);
}
