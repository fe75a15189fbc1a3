/** The app's export (log rows to pcapng) and the capture flags of the command line. */
import { describe, expect, it } from 'vitest';
import { readCaptureFrames } from '../../shared/capture/capture-file.ts';
import { exportLogAsPcapng } from '../../shared/capture/export-log.ts';
import { importCapture } from '../../shared/capture/import-capture.ts';
import { LinkType } from '../../shared/capture/link-types.ts';
import type { LogEntry } from '../../shared/ipc/types.ts';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { FileTransferType } from '../../shared/msp/file-transfer.ts';
import { parseCommandLine, UsageError } from '../../electron/cli/args.ts';

const AT = 1_764_547_200_123;
const packet = (type: number, payload: Uint8Array) => encodePacket({ version: 3, type, payload });

function entry(id: number, dir: 'in' | 'out', peer: string, raw: Uint8Array, extra: Partial<LogEntry> = {}): LogEntry {
  return { id, at: AT + id, dir, peer, kind: 'packet', raw, ...extra };
}

describe('the log as pcapng', () => {
  it('wire bytes only, unless decrypted payloads are asked for; then as comments, never keys', () => {
    const sealed = packet(0x34, Uint8Array.of(9, 9, 9, 9));
    const rows = [entry(1, 'out', '127.0.0.1:9009', sealed, { plaintext: utf8Encode('secret text'), lock: 'v3' })];
    const comments = (includePlaintext: boolean) => {
      const found: string[] = [];
      readCaptureFrames(exportLogAsPcapng(rows, { role: 'client', includePlaintext }), (f) => f.comment && found.push(f.comment));
      return found;
    };
    expect(comments(false)).toEqual([]);
    expect(comments(true)).toEqual(['decrypted: secret text']);
    const bytes = exportLogAsPcapng(rows, { role: 'client' });
    expect(Buffer.from(bytes).includes(Buffer.from('secret text'))).toBe(false);
  });

  it('a sealed service message: its inner TYPE named in the comment with its payload, only when decrypted payloads are asked for', () => {
    const sealed = packet(PacketType.SEALED_SERVICE, Uint8Array.of(7, 7, 7, 7));
    const rows = [entry(1, 'out', '127.0.0.1:9009', sealed, { plaintext: Uint8Array.of(0xff, 0), innerType: FileTransferType.CHUNK, lock: 'v3' })];
    const comments = (includePlaintext: boolean) => {
      const found: string[] = [];
      readCaptureFrames(exportLogAsPcapng(rows, { role: 'client', includePlaintext }), (f) => f.comment && found.push(f.comment));
      return found;
    };
    expect(comments(false)).toEqual([]);
    expect(comments(true)).toEqual(['SEALED_SERVICE › FT_CHUNK\ndecrypted (hex): FF 00']);
  });

  it('a server log keeps the clients as peers; a serial log is USER0 named by its port; a host name gets a stand-in address', () => {
    const data = packet(0x10, utf8Encode('hi'));
    const server = exportLogAsPcapng([entry(1, 'in', '[::1]:50000', data)], { role: 'server', local: '[::1]:9009' });
    const peers: string[] = [];
    importCapture(server, (e) => e.kind === 'entry' && peers.push(`${e.entry.dir} ${e.entry.peer}`));
    expect(peers).toEqual(['in [::1]:50000']);

    const serial = exportLogAsPcapng([entry(1, 'out', 'COM3', data)], { role: 'serial' });
    const links: Array<[number, string | undefined, number]> = [];
    readCaptureFrames(serial, (f) => links.push([f.linkType, f.interfaceName, f.direction]));
    expect(links).toEqual([[LinkType.USER0, 'COM3', 2]]);

    const named = exportLogAsPcapng([entry(1, 'out', 'msp.example:9009', data)], { role: 'client' });
    const notes: string[] = [];
    readCaptureFrames(named, (f) => f.comment && notes.push(f.comment));
    expect(notes).toEqual(['peer: msp.example:9009']);
  });

  it('a bad frame the log kept only the start of says so; times keep their microseconds', () => {
    const prefix = Uint8Array.from({ length: 32 }, (_, i) => (i < 2 ? [0xaa, 0x55][i] : i));
    const rows = [entry(1, 'in', '10.0.0.2:40000', prefix, { kind: 'bad-frame', length: 4000 })];
    const frames: Array<{ comment?: string; timestampUs: number }> = [];
    readCaptureFrames(exportLogAsPcapng(rows, { role: 'server', local: '10.0.0.1:9009' }), (f) => f.comment && frames.push(f));
    expect(frames[0].comment).toBe('the log kept only the first 32 of these 4000 bytes');
    expect(frames[0].timestampUs).toBe((AT + 1) * 1000);
  });
});

describe('capture flags', () => {
  const usage = (argv: string[]) => {
    try {
      parseCommandLine(argv, {});
      return 'accepted';
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
  };

  it('parses --read, --mode replay and --capture', () => {
    expect(parseCommandLine(['--read', 'x.pcap', '--json'], {})).toEqual({ mode: 'read', file: 'x.pcap', json: true });
    expect(parseCommandLine(['--mode', 'replay', '--read', 'x.pcapng', '--port', '9100', '--as-fast-as-possible'], {})).toMatchObject({
      mode: 'replay',
      file: 'x.pcapng',
      host: '127.0.0.1',
      port: 9100,
      asFastAsPossible: true,
      timeoutMs: 5000,
    });
    expect(parseCommandLine(['--mode', 'server', '--capture', 'out.pcapng'], {})).toMatchObject({ mode: 'server', capture: 'out.pcapng' });
  });

  it('says what is wrong with a mixed-up command line', () => {
    expect(usage(['--mode', 'replay', '--port', '9'])).toMatch(/needs --read FILE/);
    expect(usage(['--read', 'a', '--capture', 'b'])).toMatch(/not both/);
    expect(usage(['--mode', 'server', '--read', 'a'])).toMatch(/only --mode replay reads one/);
    expect(usage(['--mode', 'client', '--message', 'x', '--as-fast-as-possible'])).toMatch(/is for --mode replay/);
    expect(usage(['--mode', 'replay', '--read', 'a', '--port', '0'])).toMatch(/not 0/);
  });
});
