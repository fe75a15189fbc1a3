/**
 * The packet log (all of it, or what the filter shows) as a pcapng file: each TCP peer a
 * conversation of synthesized Ethernet/IP/TCP with its real address, each serial port a
 * USER0 interface named by its path, each row's bytes one packet with its direction and its
 * time to the microsecond. Under a secure session the wire bytes go out as they were; the
 * decrypted payload goes only into the packet's comment, and only when asked (with a sealed
 * service message's name, "SEALED_SERVICE › FT_CHUNK": the dissector cannot open it). No key
 * is in the log, so none can be exported.
 */
import type { LogEntry } from '../ipc/types.ts';
import { HEADER_SIZE, PacketType, packetLabel, toHex, utf8DecodeStrict } from '../msp/index.ts';
import { CaptureBuilder, type LinkRecorder } from './capture-builder.ts';
import { parseEndpoint, type Endpoint } from './endpoint.ts';
import { concatBytes } from '../bytes.ts';

export interface LogExportOptions {
  /** Which side of the TCP links we were: a client connected to its peers, a server was connected to. */
  role: 'client' | 'server' | 'serial';
  /** Our own endpoint when known ("0.0.0.0:9009" for a server); a client's is not, so a stand-in is used. */
  local?: string;
  /** Also put each secure packet's decrypted payload in its comment (off: only wire bytes leave). */
  includePlaintext?: boolean;
}

/** Where a client's own port is unknown: the first ephemeral port, on the peer's loopback or a documentation address. */
function standInLocal(peer: Endpoint): Endpoint {
  const loopback = peer.address.length === 4 ? peer.address[0] === 127 : peer.address.every((b, i) => b === (i === 15 ? 1 : 0));
  if (loopback) return { address: peer.address, port: 49152 };
  return peer.address.length === 4 ? parseEndpoint('192.0.2.1:49152')! : parseEndpoint('[2001:db8::1]:49152')!;
}

/** A peer given as a host name ("localhost:9009") gets a documentation address, its name in a comment. */
function endpointOf(peer: string): { endpoint: Endpoint; named?: string } {
  const direct = parseEndpoint(peer.replace(/^localhost:/, '127.0.0.1:'));
  if (direct) return { endpoint: direct };
  const port = Number(/:(\d{1,5})$/.exec(peer)?.[1] ?? 0);
  return { endpoint: { ...parseEndpoint('192.0.2.2:0')!, port: port <= 0xffff ? port : 0 }, named: peer };
}

export function exportLogAsPcapng(entries: Iterable<LogEntry>, options: LogExportOptions): Uint8Array<ArrayBuffer> {
  const blocks: Uint8Array[] = [];
  const builder = new CaptureBuilder((block) => blocks.push(block));
  const links = new Map<string, { recorder: LinkRecorder; named?: string }>();
  for (const entry of entries) {
    if (entry.kind === 'suppressed' || entry.raw.length === 0) continue;
    const atUs = Math.round(entry.at * 1000);
    let link = links.get(entry.peer);
    if (!link) {
      if (options.role === 'serial') {
        link = { recorder: builder.serial(entry.peer) };
      } else {
        const { endpoint, named } = endpointOf(entry.peer);
        const local = (options.local && parseEndpoint(options.local)) || standInLocal(endpoint);
        link = { recorder: builder.tcp(local, endpoint, options.role === 'client', atUs), ...(named ? { named } : {}) };
      }
      links.set(entry.peer, link);
    }
    link.recorder.bytes(entry.dir, entry.raw, atUs, commentOf(entry, options, link.named));
  }
  return concatBytes(...blocks);
}

function commentOf(entry: LogEntry, options: LogExportOptions, named: string | undefined): string | undefined {
  const notes: string[] = [];
  if (named) notes.push(`peer: ${named}`);
  const span = entry.length ?? entry.raw.length;
  if (span > entry.raw.length) notes.push(`the log kept only the first ${entry.raw.length} of these ${span} bytes`);
  if (entry.error) notes.push(`${entry.error.code}: ${entry.error.message}`);
  if (entry.rejected) notes.push(`refused by the secure channel: ${entry.rejected.message}`);
  // What a sealed service message carried is secret like its payload: named only when that is asked for.
  const type = entry.kind === 'packet' && entry.raw.length > HEADER_SIZE ? entry.raw[5] : undefined;
  if (options.includePlaintext && type === PacketType.SEALED_SERVICE && entry.innerType !== undefined) notes.push(packetLabel(type, entry.innerType));
  if (options.includePlaintext && entry.plaintext) {
    const text = utf8DecodeStrict(entry.plaintext);
    notes.push(text !== undefined ? `decrypted: ${text}` : `decrypted (hex): ${toHex(entry.plaintext)}`);
  }
  return notes.length > 0 ? notes.join('\n') : undefined;
}

