/**
 * Reads the frames of a .pcap or .pcapng file (tcpdump, Wireshark, or our own export). Every
 * length is checked against the bytes that are there before it is used, so a truncated or
 * corrupt file is a CaptureError saying where, never an exception or a runaway loop; the
 * work is one pass over the file. Frame data are views into `bytes`, not copies.
 */
import type { CaptureError } from '../errors/capture.ts';
import { fail, ok, type Result } from '../result.ts';
import { utf8DecodeStrict } from '../msp/text.ts';

export interface CapturedFrame {
  /** The interface (pcapng) it came in on; 0 for a pcap file. */
  interfaceId: number;
  linkType: number;
  /** if_name of the interface, when the file has it (a serial port's path in our exports). */
  interfaceName?: string;
  /** Microseconds since the epoch. */
  timestampUs: number;
  data: Uint8Array;
  /** EPB flags bits 0-1 (link-types.ts Direction): 0 when not given. */
  direction: number;
  comment?: string;
}

export interface CaptureFileInfo {
  format: 'pcap' | 'pcapng';
  /** shb_userappl of the (first) section: who wrote it. */
  application?: string;
}

/** The largest frame a capture may hold (libpcap's maximum snapshot length). */
export const MAX_FRAME_BYTES = 262_144;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;

const truncated = (what: string, at: number): CaptureError => ({
  code: 'CAPTURE_ERR_TRUNCATED',
  message: `The capture file is cut short: ${what} at byte ${at} goes past the end of the file (was the capture stopped before it finished writing?).`,
});
const corrupt = (what: string, at: number): CaptureError => ({
  code: 'CAPTURE_ERR_CORRUPT',
  message: `The capture file is damaged: ${what} at byte ${at}.`,
});

/** Calls `onFrame` for every frame in file order; the info, or the first problem found. */
export function readCaptureFrames(
  bytes: Uint8Array,
  onFrame: (frame: CapturedFrame) => void,
  onSection: (info: CaptureFileInfo) => void = () => {},
): Result<CaptureFileInfo, CaptureError> {
  if (bytes.length < 4) return fail(notACapture());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = view.getUint32(0, true);
  const magicBe = view.getUint32(0, false);
  if (magicLe === PCAPNG_SHB) return readPcapng(bytes, view, onFrame, onSection);
  for (const [magic, little] of [
    [magicLe, true],
    [magicBe, false],
  ] as const) {
    if (magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS) continue;
    onSection({ format: 'pcap' });
    return readPcap(bytes, view, little, magic === PCAP_MAGIC_NS, onFrame);
  }
  return fail(notACapture());
}

function notACapture(): CaptureError {
  return {
    code: 'CAPTURE_ERR_NOT_A_CAPTURE',
    message: 'This is not a pcap or pcapng capture file (its first bytes are not a capture format’s magic number).',
  };
}

function readPcap(
  bytes: Uint8Array,
  view: DataView,
  little: boolean,
  nanoseconds: boolean,
  onFrame: (frame: CapturedFrame) => void,
): Result<CaptureFileInfo, CaptureError> {
  if (bytes.length < 24) return fail(truncated('the pcap file header', 0));
  // The link type's upper bits may carry FCS information; the type is the low 16 bits.
  const linkType = view.getUint32(20, little) & 0xffff;
  let at = 24;
  while (at < bytes.length) {
    if (at + 16 > bytes.length) return fail(truncated('a packet record header', at));
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const captured = view.getUint32(at + 8, little);
    if (captured > MAX_FRAME_BYTES) return fail(corrupt(`a packet record claims ${captured} bytes (at most ${MAX_FRAME_BYTES} are possible)`, at));
    if (nanoseconds ? fraction >= 1e9 : fraction >= 1e6) return fail(corrupt('a packet record’s timestamp fraction is out of range', at));
    if (at + 16 + captured > bytes.length) return fail(truncated(`a packet record of ${captured} bytes`, at));
    onFrame({
      interfaceId: 0,
      linkType,
      timestampUs: seconds * 1e6 + (nanoseconds ? Math.floor(fraction / 1000) : fraction),
      data: bytes.subarray(at + 16, at + 16 + captured),
      direction: 0,
    });
    at += 16 + captured;
  }
  return ok({ format: 'pcap' });
}

interface PcapngInterface {
  linkType: number;
  name?: string;
  /** Units per second of this interface's timestamps. */
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

function readPcapng(
  bytes: Uint8Array,
  view: DataView,
  onFrame: (frame: CapturedFrame) => void,
  onSection: (info: CaptureFileInfo) => void,
): Result<CaptureFileInfo, CaptureError> {
  let little = true;
  let interfaces: PcapngInterface[] = [];
  let application: string | undefined;
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return fail(truncated('a block header', at));
    const type = view.getUint32(at, true);
    if (type === PCAPNG_SHB) {
      // A section header sets the byte order of everything up to the next one.
      if (at + 28 > bytes.length) return fail(truncated('a section header', at));
      const order = view.getUint32(at + 8, true);
      if (order === PCAPNG_BYTE_ORDER) little = true;
      else if (view.getUint32(at + 8, false) === PCAPNG_BYTE_ORDER) little = false;
      else return fail(corrupt('a section header with an unknown byte-order magic', at));
      interfaces = [];
    }
    const total = view.getUint32(at + 4, little);
    if (total < 12 || total % 4 !== 0) return fail(corrupt(`a block length of ${total}`, at));
    if (at + total > bytes.length) return fail(truncated(`a block of ${total} bytes`, at));
    if (view.getUint32(at + total - 4, little) !== total) return fail(corrupt('a block whose two lengths disagree', at));
    const body = at + 8;
    const bodyEnd = at + total - 4;
    switch (type === PCAPNG_SHB ? -1 : view.getUint32(at, little)) {
      case -1: {
        if (bodyEnd - body < 16) return fail(corrupt('a section header too short', at));
        const options = readOptions(bytes, view, body + 16, bodyEnd, little);
        if (!options.ok) return fail(corrupt(options.error, at));
        const writer = text(options.value.get(4));
        application ??= writer;
        onSection({ format: 'pcapng', ...(writer !== undefined ? { application: writer } : {}) });
        break;
      }
      case 1: {
        if (bodyEnd - body < 8) return fail(corrupt('an interface description too short', at));
        const options = readOptions(bytes, view, body + 8, bodyEnd, little);
        if (!options.ok) return fail(corrupt(options.error, at));
        const resolution = options.value.get(9)?.[0] ?? 6;
        // High bit set: a negative power of 2; otherwise of 10. Beyond 2^63 or 10^18 nothing is real.
        const exponent = resolution & 0x7f;
        if ((resolution & 0x80 ? exponent > 63 : exponent > 18)) return fail(corrupt(`a timestamp resolution of ${resolution}`, at));
        const unitsPerSecond = resolution & 0x80 ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
        const offset = options.value.get(14);
        const offsetSeconds = offset && offset.length === 8 ? new DataView(offset.buffer, offset.byteOffset, 8).getBigInt64(0, little) : 0n;
        const name = text(options.value.get(2));
        interfaces.push({ linkType: view.getUint16(body, little), unitsPerSecond, offsetSeconds, ...(name !== undefined ? { name } : {}) });
        break;
      }
      case 6: {
        if (bodyEnd - body < 20) return fail(corrupt('an enhanced packet block too short', at));
        const interfaceId = view.getUint32(body, little);
        const iface = interfaces[interfaceId];
        if (!iface) return fail(corrupt(`a packet on interface ${interfaceId}, which the file never described`, at));
        const captured = view.getUint32(body + 12, little);
        if (captured > MAX_FRAME_BYTES || body + 20 + captured > bodyEnd) return fail(corrupt(`a packet of ${captured} bytes in a smaller block`, at));
        const options = readOptions(bytes, view, body + 20 + ((captured + 3) & ~3), bodyEnd, little);
        if (!options.ok) return fail(corrupt(options.error, at));
        const flags = options.value.get(2);
        const units = (BigInt(view.getUint32(body + 4, little)) << 32n) | BigInt(view.getUint32(body + 8, little));
        const comment = text(options.value.get(1));
        onFrame({
          interfaceId,
          linkType: iface.linkType,
          ...(iface.name !== undefined ? { interfaceName: iface.name } : {}),
          timestampUs: Number(((units + iface.offsetSeconds * iface.unitsPerSecond) * 1_000_000n) / iface.unitsPerSecond),
          data: bytes.subarray(body + 20, body + 20 + captured),
          direction: flags && flags.length === 4 ? new DataView(flags.buffer, flags.byteOffset, 4).getUint32(0, little) & 3 : 0,
          ...(comment !== undefined ? { comment } : {}),
        });
        break;
      }
      case 3: {
        // Simple packet block: interface 0, no timestamp.
        const iface = interfaces[0];
        if (!iface) return fail(corrupt('a simple packet before any interface description', at));
        if (bodyEnd - body < 4) return fail(corrupt('a simple packet block too short', at));
        const captured = Math.min(view.getUint32(body, little), bodyEnd - body - 4);
        onFrame({ interfaceId: 0, linkType: iface.linkType, timestampUs: 0, data: bytes.subarray(body + 4, body + 4 + captured), direction: 0 });
        break;
      }
      default:
        break; // name resolution, statistics, decryption secrets, custom blocks: not needed
    }
    at += total;
  }
  return ok({ format: 'pcapng', ...(application !== undefined ? { application } : {}) });
}

/** A block's options by code (the first of each code), or what is wrong with them. */
function readOptions(bytes: Uint8Array, view: DataView, start: number, end: number, little: boolean): Result<Map<number, Uint8Array>, string> {
  const options = new Map<number, Uint8Array>();
  let at = start;
  while (at + 4 <= end) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === 0) break;
    if (at + 4 + length > end) return fail(`an option of ${length} bytes runs past its block`);
    if (!options.has(code)) options.set(code, bytes.subarray(at + 4, at + 4 + length));
    at += 4 + ((length + 3) & ~3);
  }
  return ok(options);
}

function text(value: Uint8Array | undefined): string | undefined {
  if (!value) return undefined;
  // Some writers end strings with NUL.
  const end = value.indexOf(0);
  return utf8DecodeStrict(end >= 0 ? value.subarray(0, end) : value);
}
