/** Classic pcap files made in tests: any link type, any frames, so the reader meets what tcpdump writes. */
import { LinkType } from '../../shared/capture/link-types.ts';

export interface PcapFrame {
  timestampUs: number;
  data: Uint8Array;
}

export function pcapFile(linkType: number, frames: readonly PcapFrame[], { bigEndian = false, nanoseconds = false } = {}): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const le = !bigEndian;
  view.setUint32(0, nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, le);
  view.setUint16(4, 2, le);
  view.setUint16(6, 4, le);
  view.setUint32(16, 262144, le);
  view.setUint32(20, linkType, le);
  let at = 24;
  for (const frame of frames) {
    const seconds = Math.floor(frame.timestampUs / 1e6);
    const fraction = frame.timestampUs - seconds * 1e6;
    view.setUint32(at, seconds, le);
    view.setUint32(at + 4, nanoseconds ? fraction * 1000 : fraction, le);
    view.setUint32(at + 8, frame.data.length, le);
    view.setUint32(at + 12, frame.data.length, le);
    out.set(frame.data, at + 16);
    at += 16 + frame.data.length;
  }
  return out;
}

/** An Ethernet frame's IP packet under another link layer's header. */
export function relink(ethernet: Uint8Array, linkType: number): Uint8Array {
  const ethertype = (ethernet[12] << 8) | ethernet[13];
  const ip = ethernet.subarray(14);
  const v6 = ethertype === 0x86dd;
  let header: number[];
  switch (linkType) {
    case LinkType.ETHERNET:
      return ethernet;
    case LinkType.LINUX_SLL:
      header = [0, 4, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, ethertype >> 8, ethertype & 0xff];
      break;
    case LinkType.LINUX_SLL2:
      header = [ethertype >> 8, ethertype & 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0];
      break;
    case LinkType.NULL:
      header = v6 ? [30, 0, 0, 0] : [2, 0, 0, 0];
      break;
    case LinkType.LOOP:
      header = v6 ? [0, 0, 0, 30] : [0, 0, 0, 2];
      break;
    case LinkType.RAW:
      header = [];
      break;
    default:
      throw new Error(`no header for link type ${linkType}`);
  }
  const out = new Uint8Array(header.length + ip.length);
  out.set(header, 0);
  out.set(ip, header.length);
  return out;
}
