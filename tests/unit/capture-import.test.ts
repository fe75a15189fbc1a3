/**
 * Captures in and out without a network: our pcapng export read back, tcpdump-style pcap files
 * on every link type we claim, TCP reassembly with split, reordered and repeated segments,
 * non-MSP streams, and ACK pairing.
 */
import { describe, expect, it } from 'vitest';
import { CaptureBuilder } from '../../shared/capture/capture-builder.ts';
import { parseEndpoint, formatAddress, parseAddress } from '../../shared/capture/endpoint.ts';
import { importCapture } from '../../shared/capture/import-capture.ts';
import { LinkType } from '../../shared/capture/link-types.ts';
import { SyntheticTcp } from '../../shared/capture/synthetic-tcp.ts';
import type { LogEntry, TrafficEvent } from '../../shared/ipc/types.ts';
import { encodePacket, toHex, utf8Encode } from '../../shared/msp/index.ts';
import { pcapFile, relink, type PcapFrame } from '../helpers/pcap-build.ts';

const T0 = 1_764_547_200_000_000; // µs
const packet = (type: number, text: string) => encodePacket({ version: 1, type, payload: utf8Encode(text) });
const DATA = (text: string) => packet(0x10, text);
const ACK = packet(0x11, 'OK');

function exportOf(build: (b: CaptureBuilder) => void): Uint8Array {
  const blocks: Uint8Array[] = [];
  build(new CaptureBuilder((block) => blocks.push(block)));
  return Buffer.concat(blocks);
}

function importAll(bytes: Uint8Array) {
  const events: TrafficEvent[] = [];
  const result = importCapture(bytes, (e) => events.push(e));
  if (!result.ok) throw new Error(result.error.message);
  const entries = events.flatMap((e) => (e.kind === 'entry' ? [e.entry] : []));
  const acks = events.flatMap((e) => (e.kind === 'ack' ? [e] : []));
  return { summary: result.value, entries, acks };
}

const row = (e: LogEntry) => `${e.dir} ${e.peer} ${e.kind} ${toHex(e.raw)}`;

describe('our pcapng export, read back', () => {
  it('gives the log rows back: directions, peers, times, bytes, ACK pairing', () => {
    const file = exportOf((b) => {
      const link = b.tcp(parseEndpoint('127.0.0.1:50000')!, parseEndpoint('127.0.0.1:9009')!, true, T0);
      link.bytes('out', DATA('Hello'), T0 + 1000);
      link.bytes('in', ACK, T0 + 2500);
      link.close(T0 + 3000);
    });
    const { entries, acks } = importAll(file);
    expect(entries.map(row)).toEqual([`out 127.0.0.1:9009 packet ${toHex(DATA('Hello'))}`, `in 127.0.0.1:9009 packet ${toHex(ACK)}`]);
    expect(entries.map((e) => e.at)).toEqual([(T0 + 1000) / 1000, (T0 + 2500) / 1000]);
    expect(entries[0].awaitsAck).toBe(true);
    expect(acks).toEqual([{ kind: 'ack', dataId: entries[0].id, ackId: entries[1].id, rttMs: 1.5 }]);
  });

  it('keeps a server’s view: the client’s DATA comes in, our ACK goes out, the peer is the client', () => {
    const file = exportOf((b) => {
      const link = b.tcp(parseEndpoint('[::1]:9009')!, parseEndpoint('[::1]:41000')!, false, T0);
      link.bytes('in', DATA('Hi'), T0 + 10);
      link.bytes('out', ACK, T0 + 20);
    });
    const { entries, acks } = importAll(file);
    expect(entries.map(row)).toEqual([`in [::1]:41000 packet ${toHex(DATA('Hi'))}`, `out [::1]:41000 packet ${toHex(ACK)}`]);
    expect(acks).toEqual([]);
  });

  it('puts a frame split over writes back together; junk and a bad CRC from the peer show as the live log shows them', () => {
    const bad = DATA('bad');
    bad[bad.length - 1] ^= 0xff;
    const split = DATA('split frame');
    const file = exportOf((b) => {
      const link = b.tcp(parseEndpoint('10.0.0.1:50000')!, parseEndpoint('10.0.0.2:9009')!, true, T0);
      link.bytes('out', split.subarray(0, 3), T0 + 1);
      link.bytes('out', split.subarray(3), T0 + 2);
      link.bytes('in', Uint8Array.of(1, 2, 3), T0 + 3);
      link.bytes('in', bad, T0 + 4);
    });
    const { entries } = importAll(file);
    // The bad frame's bytes, which the decoder reports again as skipped, are folded into it.
    expect(entries.map((e) => `${e.dir} ${e.kind} ${e.length ?? e.raw.length}`)).toEqual(['out packet 18', 'in junk 3', `in bad-frame ${bad.length}`]);
    expect(toHex(entries[0].raw)).toBe(toHex(split));
    expect(entries[0].at).toBe((T0 + 2) / 1000);
    expect(entries[2].error?.code).toBe('MSP_ERR_BAD_CRC');
  });

  it('shows what we sent that is not a packet as raw, as the log did', () => {
    const bad = DATA('bad');
    bad[bad.length - 1] = 0;
    const file = exportOf((b) => b.tcp(parseEndpoint('10.0.0.1:50000')!, parseEndpoint('10.0.0.2:9009')!, true, T0).bytes('out', bad, T0));
    expect(importAll(file).entries.map((e) => `${e.dir} ${e.kind} ${toHex(e.raw)}`)).toEqual([`out raw ${toHex(bad)}`]);
  });

  it('reads a serial port back with its path as the peer and a frame split over chunks whole', () => {
    const hello = DATA('Hello serial');
    const file = exportOf((b) => {
      const port = b.serial('/dev/ttyUSB0');
      port.bytes('out', hello.subarray(0, 4), T0);
      port.bytes('out', hello.subarray(4), T0 + 5);
      port.bytes('in', ACK, T0 + 9);
    });
    const { entries, acks, summary } = importAll(file);
    expect(entries.map(row)).toEqual([`out /dev/ttyUSB0 packet ${toHex(hello)}`, `in /dev/ttyUSB0 packet ${toHex(ACK)}`]);
    expect(acks).toHaveLength(1);
    expect(summary.streams).toMatchObject([{ kind: 'serial', name: '/dev/ttyUSB0', verdict: 'msp', packets: 2 }]);
  });
});

/** A tcpdump-like capture of one conversation: handshake, then each side's segments as given. */
function conversation(segments: ReadonlyArray<['client' | 'server', Uint8Array]>, v6 = false): Uint8Array[] {
  const tcp = new SyntheticTcp(
    parseEndpoint(v6 ? '[2001:db8::1]:50123' : '192.168.1.10:50123')!,
    parseEndpoint(v6 ? '[2001:db8::2]:9009' : '192.168.1.20:9009')!,
  );
  const frames = tcp.handshake().map((h) => h.frame);
  for (const [from, bytes] of segments) frames.push(...tcp.data(from, bytes));
  return frames;
}

const timed = (frames: Uint8Array[]): PcapFrame[] => frames.map((data, i) => ({ timestampUs: T0 + i * 100, data }));

describe('captures from tcpdump and Wireshark', () => {
  for (const [name, linkType] of Object.entries({
    Ethernet: LinkType.ETHERNET,
    'Linux cooked (SLL)': LinkType.LINUX_SLL,
    'Linux cooked v2 (SLL2)': LinkType.LINUX_SLL2,
    'BSD loopback (NULL)': LinkType.NULL,
    'OpenBSD loopback (LOOP)': LinkType.LOOP,
    'raw IP': LinkType.RAW,
  })) {
    for (const v6 of [false, true]) {
      it(`${name}, IPv${v6 ? 6 : 4}: every packet, the client's as "out", and its ACK paired`, () => {
        const frames = conversation([['client', DATA('one')], ['server', ACK], ['client', DATA('two')], ['server', ACK]], v6);
        const { entries, acks, summary } = importAll(pcapFile(linkType, timed(frames.map((f) => relink(f, linkType)))));
        const peer = v6 ? '[2001:db8::1]:50123 → [2001:db8::2]:9009' : '192.168.1.10:50123 → 192.168.1.20:9009';
        expect(entries.map(row)).toEqual([
          `out ${peer} packet ${toHex(DATA('one'))}`,
          `in ${peer} packet ${toHex(ACK)}`,
          `out ${peer} packet ${toHex(DATA('two'))}`,
          `in ${peer} packet ${toHex(ACK)}`,
        ]);
        expect(acks.map((a) => [a.dataId, a.ackId])).toEqual([
          [entries[0].id, entries[1].id],
          [entries[2].id, entries[3].id],
        ]);
        expect(summary.streams).toMatchObject([{ kind: 'tcp', name: peer, verdict: 'msp', packets: 4 }]);
      });
    }
  }

  it('reads big-endian and nanosecond pcap files', () => {
    const frames = timed(conversation([['client', DATA('x')]]));
    for (const options of [{ bigEndian: true }, { nanoseconds: true }]) {
      const { entries } = importAll(pcapFile(LinkType.ETHERNET, frames, options));
      expect(entries.map((e) => toHex(e.raw))).toEqual([toHex(DATA('x'))]);
      expect(entries[0].at).toBe(frames[3].timestampUs / 1000);
    }
  });

  it('reorders segments that arrive out of order and drops the repeats of retransmitted ones', () => {
    const message = DATA('reassembled across reordered and repeated segments');
    const tcp = new SyntheticTcp(parseEndpoint('10.1.1.1:40000')!, parseEndpoint('10.1.1.2:9009')!);
    const handshake = tcp.handshake().map((h) => h.frame);
    const parts = [message.subarray(0, 10), message.subarray(10, 20), message.subarray(20, 30), message.subarray(30)];
    const [p0, p1, p2, p3] = parts.map((p) => tcp.data('client', p)[0]);
    // p2 and p1 swapped, p0 sent twice, p2 again at the end, then the server's ACK.
    const ack = tcp.data('server', ACK)[0];
    const { entries, acks, summary } = importAll(pcapFile(LinkType.ETHERNET, timed([...handshake, p0, p2, p0, p1, p3, p2, ack])));
    expect(entries.map((e) => toHex(e.raw))).toEqual([toHex(message), toHex(ACK)]);
    expect(acks).toHaveLength(1);
    expect(summary.streams[0]).toMatchObject({ retransmittedBytes: 20, lostBytes: 0, outOfOrderSegments: 1 });
  });

  it('lists streams that are not MSP and shows none of their bytes', () => {
    const http = new SyntheticTcp(parseEndpoint('10.0.0.5:51000')!, parseEndpoint('10.0.0.6:80')!);
    const frames = [...http.handshake().map((h) => h.frame), ...http.data('client', utf8Encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))];
    frames.push(...conversation([['client', DATA('msp')]]));
    const { entries, summary } = importAll(pcapFile(LinkType.ETHERNET, timed(frames)));
    expect(entries.map((e) => e.peer)).toEqual(['192.168.1.10:50123 → 192.168.1.20:9009']);
    expect(summary.streams.map((s) => [s.name, s.verdict])).toEqual([
      ['10.0.0.5:51000 → 10.0.0.6:80', 'other'],
      ['192.168.1.10:50123 → 192.168.1.20:9009', 'msp'],
    ]);
  });

  it('shows junk before the first frame of an MSP stream', () => {
    const frames = conversation([['client', Uint8Array.of(0xde, 0xad)], ['client', DATA('after junk')]]);
    const { entries } = importAll(pcapFile(LinkType.ETHERNET, timed(frames)));
    expect(entries.map((e) => e.kind)).toEqual(['junk', 'packet']);
  });
});

describe('endpoints', () => {
  it('formats and parses IPv4, IPv6 and v4-mapped addresses', () => {
    expect(formatAddress(parseAddress('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatAddress(parseAddress('::1')!)).toBe('::1');
    expect(formatAddress(parseAddress('::ffff:127.0.0.1')!)).toBe('127.0.0.1');
    expect(parseEndpoint('example.com:9009')).toBeUndefined();
    expect(parseEndpoint('/dev/ttyUSB0')).toBeUndefined();
  });
});
