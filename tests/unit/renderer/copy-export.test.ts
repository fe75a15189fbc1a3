import { describe, expect, it } from 'vitest';
import { PacketType } from '../../../shared/msp/index.ts';
import { FileTransferType } from '../../../shared/msp/file-transfer.ts';
import { formatBytes, toCArray } from '../../../renderer/src/features/inspector/copyFormats.ts';
import { toCsv, toJson } from '../../../renderer/src/features/log/exportLog.ts';
import { PacketLog } from '../../../renderer/src/features/log/packetLog.ts';
import { firewallRuleCommand, needsFirewallHint } from '../../../renderer/src/features/connection/firewall.ts';
import { entry, fromHexText, packetEntry } from '../../helpers/entries.ts';

const ACK = fromHexText('AA55 0009 01 11 4F4B 9A');

describe('copy a packet', () => {
  it('as hex, as a C array, as base64', () => {
    expect(formatBytes(ACK, 'hex')).toBe('AA 55 00 09 01 11 4F 4B 9A');
    expect(formatBytes(ACK, 'c-array')).toBe('const uint8_t msp_packet[9] = {\n  0xAA, 0x55, 0x00, 0x09, 0x01, 0x11, 0x4F, 0x4B, 0x9A\n};');
    expect(formatBytes(ACK, 'base64')).toBe(Buffer.from(ACK).toString('base64'));
  });

  it('a C array wraps at 12 bytes a line, and base64 copes with the largest packet', () => {
    const lines = toCArray(new Uint8Array(25)).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`  ${Array(12).fill('0x00').join(', ')},`);
    expect(lines[3]).toBe('  0x00');
    const big = Uint8Array.from({ length: 65535 }, (_, i) => i & 0xff);
    expect(formatBytes(big, 'base64')).toBe(Buffer.from(big).toString('base64'));
  });
});

describe('export the log', () => {
  const data = packetEntry('out', PacketType.DATA, '=SUM(A1:A9), "x"', { awaitsAck: true });
  function logWith() {
    const log = new PacketLog();
    const ack = packetEntry('in', PacketType.ACK, 'OK');
    log.ingest([entry(data), entry(ack), { kind: 'ack', dataId: data.id, ackId: ack.id, rttMs: 0.4567 }]);
    log.ingest([
      entry({ id: 5, at: 0, dir: 'in', peer: 'p', kind: 'bad-frame', raw: fromHexText('AA550008011041 00'), expectedCrc: 0x41, error: { code: 'MSP_ERR_BAD_CRC', message: 'CRC mismatch: the packet says 00, its payload sums to 41.' } }),
    ]);
    return log;
  }

  it('CSV: a header, one row per packet, quoted as RFC 4180 says, formulas neutralised', () => {
    const lines = toCsv(logWith().visibleRecords()).split('\r\n');
    expect(lines[0]).toBe('seq,time,direction,peer,kind,type,length,crc,expected_crc,ack,rtt_ms,error,text,hex,lock,refused,inner_type');
    expect(lines[1]).toBe(`1,2025-01-02T03:04:05.678Z,out,127.0.0.1:50001,packet,DATA,23,ok,,acked,0.457,,"'=SUM(A1:A9), ""x""",${Buffer.from(data.raw).toString('hex').toUpperCase()},,,`);
    expect(lines[2]).toMatch(/^2,.*,in,127\.0\.0\.1:50001,packet,ACK,9,ok,,,,,OK,AA55000901114F4B9A,,,$/);
    expect(lines[3]).toBe('3,1970-01-01T00:00:00.000Z,in,p,bad-frame,DATA,8,bad,41,,,"CRC mismatch: the packet says 00, its payload sums to 41.",A,AA55000801104100,,,');
    expect(lines[4]).toBe('');
  });

  it('JSON: the same fields, as data', () => {
    const rows = JSON.parse(toJson(logWith().visibleRecords()));
    expect(rows[0]).toMatchObject({ seq: 1, direction: 'out', type: 'DATA', ack: 'acked', rtt_ms: 0.457, text: '=SUM(A1:A9), "x"', crc: 'ok' });
    expect(rows[2]).toMatchObject({ kind: 'bad-frame', crc: 'bad', expected_crc: '41', error: expect.stringContaining('CRC mismatch') });
  });

  it('says which packets were encrypted and which the secure layer refused', () => {
    const log = new PacketLog();
    const sealed = packetEntry('out', PacketType.SEALED_DATA, 'secret', { lock: 'v3' });
    const refused = packetEntry('in', PacketType.DATA, 'plain', {
      lock: 'none',
      rejected: { code: 'CRYPTO_ERR_PLAINTEXT_REFUSED', message: 'Plaintext DATA refused: this server needs a password.' },
    });
    log.ingest([entry(sealed), entry(refused)]);
    const rows = JSON.parse(toJson(log.visibleRecords()));
    expect(rows[0]).toMatchObject({ type: 'SEALED_DATA', lock: 'v3', refused: null });
    expect(rows[1]).toMatchObject({ type: 'DATA', lock: 'none', refused: expect.stringContaining('refused') });
    expect(toCsv(log.visibleRecords()).split('\r\n')[1]).toMatch(/,v3,,$/);
  });

  it('a sealed service message: the wire TYPE in `type`, the inner one the session opened in `inner_type`', () => {
    const log = new PacketLog();
    const chunk = packetEntry('out', PacketType.SEALED_SERVICE, 'ciphertext', { lock: 'v3', innerType: FileTransferType.CHUNK });
    const unopened = packetEntry('in', PacketType.SEALED_SERVICE, 'ciphertext', { lock: 'v3' });
    log.ingest([entry(chunk), entry(unopened)]);
    const rows = JSON.parse(toJson(log.visibleRecords()));
    expect(rows[0]).toMatchObject({ type: 'SEALED_SERVICE', inner_type: 'FT_CHUNK' });
    expect(rows[1]).toMatchObject({ type: 'SEALED_SERVICE', inner_type: null });
    expect(toCsv(log.visibleRecords()).split('\r\n')[1]).toMatch(/,SEALED_SERVICE,.*,v3,,FT_CHUNK$/);
  });
});

describe('Windows firewall hint', () => {
  it('only on Windows, only when listening on all interfaces', () => {
    expect(needsFirewallHint('win32', '0.0.0.0')).toBe(true);
    expect(needsFirewallHint('win32', '127.0.0.1')).toBe(false);
    expect(needsFirewallHint('linux', '0.0.0.0')).toBe(false);
  });

  it('the netsh command allows inbound TCP on that port for Private and Domain networks', () => {
    expect(firewallRuleCommand(9009)).toBe(
      'netsh advfirewall firewall add rule name="MSP Workbench (TCP 9009)" dir=in action=allow protocol=TCP localport=9009 profile=private,domain',
    );
  });
});
