/**
 * From a captured frame to its TCP segment: the link layer (Ethernet with VLAN tags, Linux
 * cooked SLL and SLL2, BSD/Linux loopback, raw IP), IPv4 or IPv6 (with extension headers),
 * then TCP. Anything else (ARP, UDP, fragments, a frame cut short by the snapshot length)
 * is `undefined`: counted by the caller, never an error. Payloads are views, not copies.
 */
import type { Endpoint } from './endpoint.ts';
import { LinkType } from './link-types.ts';

export interface TcpSegment {
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  flags: number;
  payload: Uint8Array;
}

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, ACK: 0x10 } as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];

/** The TCP segment a frame carries, if it carries one. */
export function tcpSegmentOf(linkType: number, frame: Uint8Array): TcpSegment | undefined {
  const ip = ipPacketOf(linkType, frame);
  if (!ip) return undefined;
  return ip.version === 4 ? ipv4Tcp(ip.bytes) : ipv6Tcp(ip.bytes);
}

function ipPacketOf(linkType: number, frame: Uint8Array): { version: 4 | 6; bytes: Uint8Array } | undefined {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const byEthertype = (type: number, start: number) =>
    type === ETHERTYPE_IPV4 ? ip(4, start) : type === ETHERTYPE_IPV6 ? ip(6, start) : undefined;
  const ip = (version: 4 | 6, start: number) => (start < frame.length ? { version, bytes: frame.subarray(start) } : undefined);
  switch (linkType) {
    case LinkType.ETHERNET: {
      let at = 12;
      if (frame.length < 14) return undefined;
      let type = view.getUint16(at);
      // Up to two VLAN tags (802.1Q, QinQ).
      for (let tags = 0; tags < 2 && ETHERTYPE_VLAN.includes(type); tags++) {
        at += 4;
        if (frame.length < at + 2) return undefined;
        type = view.getUint16(at);
      }
      return byEthertype(type, at + 2);
    }
    case LinkType.LINUX_SLL:
      return frame.length < 16 ? undefined : byEthertype(view.getUint16(14), 16);
    case LinkType.LINUX_SLL2:
      return frame.length < 20 ? undefined : byEthertype(view.getUint16(0), 20);
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (frame.length < 4) return undefined;
      // NULL's family is in the writer's byte order, LOOP's in network order: try both.
      const families = linkType === LinkType.LOOP ? [view.getUint32(0)] : [view.getUint32(0, true), view.getUint32(0)];
      for (const family of families) {
        if (family === 2) return ip(4, 4);
        if (family === 10 || family === 24 || family === 28 || family === 30) return ip(6, 4);
      }
      return undefined;
    }
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6: {
      const version = frame[0] >> 4;
      return version === 4 || version === 6 ? ip(version, 0) : undefined;
    }
    default:
      return undefined;
  }
}

function ipv4Tcp(packet: Uint8Array): TcpSegment | undefined {
  if (packet.length < 20 || packet[0] >> 4 !== 4) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = view.getUint16(2);
  const fragment = view.getUint16(6);
  // Fragments (more-fragments set or an offset) are not reassembled: TCP over loopback and
  // most links never fragments. Ethernet may pad short frames, so the IP length wins.
  if (packet[9] !== 6 || headerLength < 20 || totalLength < headerLength || fragment & 0x3fff) return undefined;
  const end = Math.min(totalLength, packet.length);
  return tcp(packet.subarray(12, 16), packet.subarray(16, 20), packet.subarray(headerLength, end));
}

function ipv6Tcp(packet: Uint8Array): TcpSegment | undefined {
  if (packet.length < 40 || packet[0] >> 4 !== 6) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const end = Math.min(40 + view.getUint16(4), packet.length);
  let next = packet[6];
  let at = 40;
  // Hop-by-hop, routing and destination options are skipped; a fragment header ends it.
  for (let hops = 0; hops < 8 && (next === 0 || next === 43 || next === 60); hops++) {
    if (at + 8 > end) return undefined;
    next = packet[at];
    at += (packet[at + 1] + 1) * 8;
  }
  if (next !== 6 || at > end) return undefined;
  return tcp(packet.subarray(8, 24), packet.subarray(24, 40), packet.subarray(at, end));
}

function tcp(srcAddress: Uint8Array, dstAddress: Uint8Array, segment: Uint8Array): TcpSegment | undefined {
  if (segment.length < 20) return undefined;
  const view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
  const dataOffset = (segment[12] >> 4) * 4;
  if (dataOffset < 20 || dataOffset > segment.length) return undefined;
  return {
    src: { address: srcAddress, port: view.getUint16(0) },
    dst: { address: dstAddress, port: view.getUint16(2) },
    seq: view.getUint32(4),
    flags: segment[13],
    payload: segment.subarray(dataOffset),
  };
}
