import { describe, expect, it } from 'vitest';
import { PacketType } from '../../../shared/msp/index.ts';
import { LOG_MAX_BYTES, LOG_MAX_ENTRIES } from '../../../shared/limits.ts';
import { PacketLog } from '../../../renderer/src/features/log/packetLog.ts';
import { recordBytes } from '../../../renderer/src/features/log/logRecord.ts';
import { SHOW_EVERYTHING } from '../../../renderer/src/features/log/logFilter.ts';
import { entry, fromHexText, packetEntry } from '../../helpers/entries.ts';

const seqs = (log: PacketLog) => Array.from({ length: log.viewLength }, (_, i) => log.viewAt(i)!.seq);

describe('packet log', () => {
  it('numbers entries, decodes the payload text and classifies them', () => {
    const log = new PacketLog();
    log.ingest([
      entry(packetEntry('out', PacketType.DATA, 'Hello MSP', { awaitsAck: true })),
      entry(packetEntry('in', PacketType.ACK, 'OK')),
      entry(packetEntry('in', 0x42, 'custom')),
    ]);
    expect(log.size).toBe(3);
    const [data, ack, other] = [log.viewAt(0)!, log.viewAt(1)!, log.viewAt(2)!];
    expect([data.seq, data.category, data.text, data.crc, data.ack]).toEqual([1, 'data', 'Hello MSP', 'ok', { status: 'pending' }]);
    expect([ack.seq, ack.category, ack.text]).toEqual([2, 'ack', 'OK']);
    expect(other.category).toBe('other');
  });

  it('pairs the ACK with its DATA: round-trip time on the DATA, "for #n" on the ACK', () => {
    const log = new PacketLog();
    const data = packetEntry('out', PacketType.DATA, 'x', { awaitsAck: true });
    const ack = packetEntry('in', PacketType.ACK, 'OK');
    log.ingest([entry(data), entry(ack), { kind: 'ack', dataId: data.id, ackId: ack.id, rttMs: 0.42 }]);
    expect(log.get(1)!.ack).toEqual({ status: 'acked', rttMs: 0.42, ackSeq: 2 });
    expect(log.get(2)!.ackFor).toBe(1);
  });

  it('marks DATA whose ACK never came: timed out, or lost with the link', () => {
    const log = new PacketLog();
    const a = packetEntry('out', PacketType.DATA, 'a', { awaitsAck: true });
    const b = packetEntry('out', PacketType.DATA, 'b', { awaitsAck: true });
    log.ingest([entry(a), entry(b), { kind: 'ack-timeout', dataId: a.id }]);
    log.ingest([{ kind: 'ack-lost', dataId: b.id, reason: { code: 'LINK_ERR_CLOSED', message: 'closed' } }]);
    expect(log.get(1)!.ack).toEqual({ status: 'timeout' });
    expect(log.get(2)!.ack).toMatchObject({ status: 'lost', reason: { code: 'LINK_ERR_CLOSED' } });
  });

  it('a bad frame keeps the CRC it carried and the one it should have had', () => {
    const log = new PacketLog();
    log.ingest([
      entry({
        id: 1,
        at: 0,
        dir: 'in',
        peer: 'p',
        kind: 'bad-frame',
        raw: fromHexText('AA55 0010 0110 48656C6C6F204D5350 00'),
        error: { code: 'MSP_ERR_BAD_CRC', message: 'CRC mismatch' },
        expectedCrc: 0x04,
      }),
    ]);
    expect(log.get(1)).toMatchObject({ category: 'error', crc: 'bad', actualCrc: 0x00, expectedCrc: 0x04, text: 'Hello MSP', type: 0x10 });
  });

  it('holds at most 100,000 entries by default; older ones drop out and ACKs for them are ignored', () => {
    expect(LOG_MAX_ENTRIES).toBe(100_000);
    const log = new PacketLog(5);
    const first = packetEntry('out', PacketType.DATA, 'first', { awaitsAck: true });
    log.ingest([entry(first)]);
    for (let i = 0; i < 9; i++) log.ingest([entry(packetEntry('in', PacketType.DATA, `#${i}`))]);
    expect([log.size, log.dropped, log.viewLength]).toEqual([5, 5, 5]);
    expect(seqs(log)).toEqual([6, 7, 8, 9, 10]);
    expect(log.get(1)).toBeUndefined();
    log.ingest([{ kind: 'ack', dataId: first.id, ackId: 999_999, rttMs: 1 }]); // no effect, no error
    expect(log.size).toBe(5);
  });

  it('filters by direction, type, peer and text (payload or hex), and new entries follow the filter', () => {
    const log = new PacketLog();
    log.ingest([
      entry(packetEntry('out', PacketType.DATA, 'Hello MSP', { peer: 'A' })),
      entry(packetEntry('in', PacketType.ACK, 'OK', { peer: 'A' })),
      entry(packetEntry('in', PacketType.DATA, 'temperature=21', { peer: 'B' })),
      entry({ id: 77, at: 0, dir: 'in', peer: 'B', kind: 'junk', raw: fromHexText('0102') }),
    ]);
    log.setFilter({ ...SHOW_EVERYTHING, direction: 'in' });
    expect(seqs(log)).toEqual([2, 3, 4]);
    log.setFilter({ ...SHOW_EVERYTHING, categories: { ...SHOW_EVERYTHING.categories, ack: false, error: false } });
    expect(seqs(log)).toEqual([1, 3]);
    log.setFilter({ ...SHOW_EVERYTHING, peer: 'B' });
    expect(seqs(log)).toEqual([3, 4]);
    log.setFilter({ ...SHOW_EVERYTHING, text: 'TEMP' });
    expect(seqs(log)).toEqual([3]);
    log.setFilter({ ...SHOW_EVERYTHING, text: '01 02' });
    expect(seqs(log)).toEqual([4]);
    log.ingest([entry(packetEntry('in', PacketType.DATA, 'x', { peer: 'B', raw: fromHexText('AA55000901100102 03') }))]);
    expect(log.viewLength).toBe(2);
    expect(log.viewIndexOf(4)).toBe(0);
    expect(log.viewIndexOf(1)).toBe(-1);
    expect([...log.peers]).toEqual(['A', 'B']);
  });

  it('clearing empties it', () => {
    const log = new PacketLog();
    log.ingest([entry(packetEntry('in', PacketType.DATA, 'x'))]);
    log.clear();
    log.ingest([{ kind: 'dropped', events: 3, bytes: 300 }]);
    log.clear();
    expect([log.size, log.viewLength, log.dropped, log.bytes, log.skipped, log.visibleRecords()]).toEqual([0, 0, 0, 0, { events: 0, bytes: 0 }, []]);
  });

  it('takes 100,000 entries and a filter change over them in stride (no quadratic work)', () => {
    const log = new PacketLog();
    for (let i = 0; i < 150; i++) {
      log.ingest(Array.from({ length: 1000 }, (_, j) => entry(packetEntry(j % 2 ? 'in' : 'out', PacketType.DATA, `m${j}`))));
    }
    expect(log.size).toBe(100_000);
    expect(log.dropped).toBe(50_000);
    log.setFilter({ ...SHOW_EVERYTHING, direction: 'out' });
    expect(log.viewLength).toBe(50_000);
    expect(log.viewAt(0)!.seq).toBe(50_001);
  });

  it('holds at most LOG_MAX_BYTES: large packets push the oldest out long before 100,000, and are counted as dropped', () => {
    expect(LOG_MAX_BYTES).toBe(64 * 1024 * 1024);
    const big = (i: number) => entry(packetEntry('in', PacketType.DATA, String(i % 10).repeat(60 * 1024)));
    const log = new PacketLog();
    for (let i = 0; i < 300; i++) log.ingest([big(i)]);
    const each = recordBytes(log.get(300)!);
    expect(each).toBeGreaterThan(6 * 60 * 1024); // bytes, text and search text: about 6 times the payload
    expect(log.size).toBe(Math.floor(LOG_MAX_BYTES / each));
    expect(log.bytes).toBeLessThanOrEqual(LOG_MAX_BYTES);
    expect(log.dropped).toBe(300 - log.size);
    expect(seqs(log).at(-1)).toBe(300);
    expect(seqs(log)[0]).toBe(300 - log.size + 1);
  });

  it('counts plaintext in an entry\'s cost, and a small byte bound keeps only what fits', () => {
    const plain = packetEntry('in', PacketType.ENCRYPTED_DATA, 'x'.repeat(1000), { plaintext: new Uint8Array(5000) });
    const log = new PacketLog(100, 100_000);
    log.ingest([entry(plain)]);
    const cost = recordBytes(log.get(1)!);
    expect(cost).toBeGreaterThan(5000 + 1000);
    for (let i = 0; i < 10; i++) log.ingest([entry({ ...plain, id: plain.id + 1 + i })]);
    expect(log.size).toBe(Math.floor(100_000 / cost));
    expect(log.bytes).toBeLessThanOrEqual(100_000);
    expect(log.dropped).toBe(11 - log.size);
  });

  it('adds up main\'s dropped markers, without making them log entries', () => {
    const log = new PacketLog();
    log.ingest([{ kind: 'dropped', events: 10, bytes: 1000 }, entry(packetEntry('in', PacketType.DATA, 'after'))]);
    log.ingest([{ kind: 'dropped', events: 5, bytes: 500 }]);
    expect(log.skipped).toEqual({ events: 15, bytes: 1500 });
    expect([log.size, log.dropped]).toEqual([1, 0]);
  });
});
