/**
 * Ethernet/IP/TCP frames made up around bytes a TCP link carried, so a capture of our log
 * opens in Wireshark as the TCP conversation it was: real endpoints, a handshake, sequence
 * numbers that let Wireshark's TCP reassembly (and our dissector's dissect_tcp_pdus) put
 * split frames back together. The MAC addresses are made up; checksums are real.
 */
import type { Endpoint } from './endpoint.ts';

export type Side = 'client' | 'server';

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

/** Payload bytes per synthesized segment: keeps an IPv4 frame under its 65,535-byte limit. */
export const MAX_SEGMENT_PAYLOAD = 32 * 1024;

const MAC = { client: [0x02, 0, 0, 0, 0, 0x01], server: [0x02, 0, 0, 0, 0, 0x02] } as const;
const INITIAL_SEQ = { client: 0x10000000, server: 0x20000000 } as const;

export class SyntheticTcp {
  private readonly seq: Record<Side, number> = { client: INITIAL_SEQ.client, server: INITIAL_SEQ.server };
  private ipId = 1;
  private readonly client: Endpoint;
  private readonly server: Endpoint;

  constructor(client: Endpoint, server: Endpoint) {
    // Both ends must be of one family: an IPv4 end beside an IPv6 one becomes ::ffff:a.b.c.d.
    const v6 = client.address.length === 16 || server.address.length === 16;
    this.client = v6 ? asV6(client) : client;
    this.server = v6 ? asV6(server) : server;
  }

  /** SYN, SYN-ACK, ACK: the conversation's start, so readers know who connected. */
  handshake(): { from: Side; frame: Uint8Array }[] {
    const syn = this.frame('client', TCP_SYN, new Uint8Array(0), false);
    this.seq.client++;
    const synAck = this.frame('server', TCP_SYN | TCP_ACK, new Uint8Array(0));
    this.seq.server++;
    const ack = this.frame('client', TCP_ACK, new Uint8Array(0));
    return [
      { from: 'client', frame: syn },
      { from: 'server', frame: synAck },
      { from: 'client', frame: ack },
    ];
  }

  /** The bytes one side sent, as one or more segments. */
  data(from: Side, bytes: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += MAX_SEGMENT_PAYLOAD) {
      const part = bytes.subarray(at, Math.min(bytes.length, at + MAX_SEGMENT_PAYLOAD));
      frames.push(this.frame(from, TCP_PSH | TCP_ACK, part));
      this.seq[from] = (this.seq[from] + part.length) >>> 0;
    }
    return frames;
  }

  /** One side closed its half (FIN). */
  fin(from: Side): Uint8Array {
    const frame = this.frame(from, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.seq[from] = (this.seq[from] + 1) >>> 0;
    return frame;
  }

  private frame(from: Side, flags: number, payload: Uint8Array, withAck = true): Uint8Array {
    const to: Side = from === 'client' ? 'server' : 'client';
    const src = this[from];
    const dst = this[to];
    const v6 = src.address.length === 16;
    const ipHeader = v6 ? 40 : 20;
    const tcpLength = 20 + payload.length;
    const out = new Uint8Array(14 + ipHeader + tcpLength);
    const view = new DataView(out.buffer);
    out.set(MAC[to], 0);
    out.set(MAC[from], 6);
    view.setUint16(12, v6 ? 0x86dd : 0x0800);
    const ip = 14;
    if (v6) {
      view.setUint32(ip, 0x60000000);
      view.setUint16(ip + 4, tcpLength);
      out[ip + 6] = 6; // next header: TCP
      out[ip + 7] = 64;
      out.set(src.address, ip + 8);
      out.set(dst.address, ip + 24);
    } else {
      out[ip] = 0x45;
      view.setUint16(ip + 2, 20 + tcpLength);
      view.setUint16(ip + 4, this.ipId++ & 0xffff);
      view.setUint16(ip + 6, 0x4000); // don't fragment
      out[ip + 8] = 64;
      out[ip + 9] = 6;
      out.set(src.address, ip + 12);
      out.set(dst.address, ip + 16);
      view.setUint16(ip + 10, onesComplement(sum16(out, ip, 20, 0)));
    }
    const tcp = ip + ipHeader;
    view.setUint16(tcp, src.port);
    view.setUint16(tcp + 2, dst.port);
    view.setUint32(tcp + 4, this.seq[from]);
    view.setUint32(tcp + 8, withAck ? this.seq[to] : 0);
    out[tcp + 12] = 5 << 4;
    out[tcp + 13] = flags;
    view.setUint16(tcp + 14, 0xffff);
    out.set(payload, tcp + 20);
    // The checksum covers a pseudo-header of both addresses, the protocol and the TCP length.
    let sum = sum16(src.address, 0, src.address.length, 0);
    sum = sum16(dst.address, 0, dst.address.length, sum);
    sum += 6 + (tcpLength >>> 16) + (tcpLength & 0xffff);
    sum = sum16(out, tcp, tcpLength, sum);
    view.setUint16(tcp + 16, onesComplement(sum));
    return out;
  }
}

function asV6(endpoint: Endpoint): Endpoint {
  if (endpoint.address.length === 16) return endpoint;
  const address = new Uint8Array(16);
  address[10] = 0xff;
  address[11] = 0xff;
  address.set(endpoint.address, 12);
  return { address, port: endpoint.port };
}

/** Adds big-endian 16-bit words (an odd last byte padded with zero) to a running sum. */
function sum16(bytes: Uint8Array, start: number, length: number, sum: number): number {
  const end = start + length;
  let i = start;
  for (; i + 1 < end; i += 2) {
    sum += (bytes[i] << 8) | bytes[i + 1];
    if (sum > 0xffffffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  }
  if (i < end) sum += bytes[i] << 8;
  return sum;
}

function onesComplement(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
