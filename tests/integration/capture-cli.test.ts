/**
 * `--capture` through the real CLI over real sockets and a socat serial pair, read back by
 * tshark with docs/wireshark/msp.lua and by `msp --read`, compared with what the server
 * printed (what its log shows): plain TCP with a split frame, a bad CRC with its expert
 * info, a serial port. Then replay: against our server, and against one that answers differently.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodePacket, toHex, utf8Encode } from '../../shared/msp/index.ts';
import { tsharkFields, tsharkSkip } from '../helpers/capture-tools.ts';
import { runCli, startCliServer } from '../helpers/cli.ts';
import { startCli, stopAllClis } from '../helpers/cli-process.ts';
import { connectTo, listenOn, readUntil } from '../helpers/net.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';
import { waitFor } from '../helpers/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'msp-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await stopAllClis();
  await stopAllPtyPairs();
});

const data = (text: string) => encodePacket({ version: 1, type: 0x10, payload: utf8Encode(text) });
const ACK = encodePacket({ version: 1, type: 0x11, payload: utf8Encode('OK') });
const countAcks = (bytes: Buffer) => bytes.length / ACK.length;
const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** Packets as "dir TYPE text" from the server's --json lines. */
const serverRows = (events: Array<Record<string, unknown>>) =>
  events.filter((e) => e.event === 'packet').map((e) => `${e.dir} ${e.type} ${e.text}`);

describe(`--capture, read by tshark with msp.lua${tsharkSkip.reason}`, { skip: tsharkSkip.skip }, () => {
  it('TCP: plain packets, a frame split over two writes and a bad CRC show in tshark as in the server log', async () => {
    const file = join(dir, 'tcp.pcapng');
    const server = await startCliServer(['--capture', file]);
    const socket = await connectTo(server.port);
    const firstAck = readUntil(socket, (b) => countAcks(b) >= 1);
    socket.write(data('Hello MSP'));
    await firstAck;
    const secondAck = readUntil(socket, (b) => countAcks(b) >= 1);
    // Half a frame, and only once the server has read it (its capture grew) the other half.
    const split = data('split over two writes');
    const before = sizeOf(file);
    socket.write(split.subarray(0, 9));
    await waitFor(() => sizeOf(file) > before, 'the server to read the first half');
    socket.write(split.subarray(9));
    await secondAck;
    const bad = data('bad crc');
    bad[bad.length - 1] ^= 0x5a;
    socket.write(bad);
    await server.waitFor((events) => events.some((e) => e.event === 'bad-frame'));
    socket.end();
    await server.waitFor((events) => events.some((e) => e.event === 'disconnected'));
    await server.stop();

    const shown = serverRows(server.events);
    expect(shown).toEqual(['in DATA Hello MSP', 'out ACK OK', 'in DATA split over two writes', 'out ACK OK']);
    const badEvent = server.events.find((e) => e.event === 'bad-frame')!;

    // tshark: one row per MSP unit, in order; the split frame was reassembled from two segments.
    const rows = tsharkFields(file, ['msp.type', 'msp.text', 'msp.crc', 'msp.crc.expected', '_ws.expert.message']);
    const names: Record<string, string> = { '0x10': 'DATA', '0x11': 'ACK' };
    const valid = rows.filter((r) => r[0] !== '' && r[2] === r[3]);
    const direction = (text: string) => (text === 'OK' ? 'out' : 'in');
    expect(valid.map((r) => `${direction(r[1])} ${names[r[0]]} ${r[1]}`)).toEqual(shown);
    const badRow = rows.find((r) => r[2] !== r[3])!;
    expect(badRow[1]).toBe('bad crc');
    expect(Number(badRow[3])).toBe(badEvent.expected_crc);
    expect(badRow[4]).toContain(`Bad CRC 0x${bad[bad.length - 1].toString(16).toUpperCase()} (should be 0x${(badEvent.expected_crc as number).toString(16).toUpperCase().padStart(2, '0')})`);
    const reassembled = tsharkFields(file, ['tcp.reassembled.length'], 'msp.text == "split over two writes"');
    expect(reassembled[0][0]).toBe(String(split.length));

    // msp --read shows the same packets, our server's view kept (its peer is the client).
    const read = await runCli(['--read', file, '--json']);
    expect(read.code).toBe(0);
    const lines = read.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.event === 'packet').map((l) => `${l.dir} ${l.type} ${l.text}`)).toEqual(shown);
    expect(lines.find((l) => l.event === 'bad-frame')).toMatchObject({ code: 'MSP_ERR_BAD_CRC', raw: toHex(bad, '') });
  });

  it(`serial: a responder's capture shows the port, directions and packets${socatSkip.reason}`, { skip: socatSkip.skip }, async () => {
    const file = join(dir, 'serial.pcapng');
    const pair = await startPtyPair();
    const responder = await startCli(['--mode', 'server', '--serial', pair.a, '--capture', file], (e) => e.event === 'open');
    const sent = await runCli(['--mode', 'client', '--serial', pair.b, '--message', 'Hello serial', '--repeat', '2', '--json']);
    expect(sent.code).toBe(0);
    await responder.waitFor((events) => events.filter((e) => e.event === 'packet').length >= 4, 'both DATA and their ACKs');
    await responder.stop();
    const shown = responder.events.filter((e) => e.event === 'packet').map((e) => `${e.dir} ${e.type} ${e.text}`);
    expect(shown).toEqual(['in DATA Hello serial', 'out ACK OK', 'in DATA Hello serial', 'out ACK OK']);
    const rows = tsharkFields(file, ['frame.interface_name', 'frame.p2p_dir', 'msp.type', 'msp.text']);
    const names: Record<string, string> = { '0x10': 'DATA', '0x11': 'ACK' };
    // p2p_dir: 1 = received (in), 0 = sent (out).
    const fromTshark = rows.flatMap((r) => {
      const types = r[2].split(',');
      const texts = r[3].split(',');
      return types.filter(Boolean).map((t, i) => `${r[1] === '1' ? 'in' : 'out'} ${names[t]} ${texts[i]}`);
    });
    expect(fromTshark).toEqual(shown);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([pair.a]));
  });
});

describe('replay', () => {
  it('a recorded client session replayed against our server: no differences; against one that answers otherwise: listed', async () => {
    const file = join(dir, 'client.pcapng');
    const server = await startCliServer();
    const recorded = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'Hello replay', '--repeat', '3', '--capture', file]);
    expect(recorded.code).toBe(0);

    const same = await runCli(['--mode', 'replay', '--read', file, '--port', String(server.port), '--as-fast-as-possible', '--json']);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('"differences":0');
    // With the recorded timing too.
    const timed = await runCli(['--mode', 'replay', '--read', file, '--port', String(server.port)]);
    expect(timed.code).toBe(0);
    expect(timed.stdout).toContain('no differences');
    await server.stop();

    // A server that answers the second DATA with "NO" and never the third.
    let seen = 0;
    const other = await listenOn((socket) => {
      socket.on('data', (chunk) => {
        for (let i = 0; i < chunk.length / data('Hello replay').length; i++) {
          seen++;
          if (seen === 1) socket.write(ACK);
          if (seen === 2) socket.write(encodePacket({ version: 1, type: 0x11, payload: utf8Encode('NO') }));
        }
      });
      socket.on('end', () => socket.end());
    });
    const differs = await runCli(['--mode', 'replay', '--read', file, '--port', String(other.port), '--as-fast-as-possible', '--timeout', '0.5']);
    await other.close();
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain('2 differences');
    expect(differs.stdout).toContain('reply 2: expected ACK "OK" (AA 55 00 09 01 11 4F 4B 9A), got ACK "NO"');
    expect(differs.stdout).toContain('reply 3: expected ACK "OK" (AA 55 00 09 01 11 4F 4B 9A), got nothing');
  });

  it('says plainly when there is nothing to replay or nothing listening', async () => {
    const missing = await runCli(['--mode', 'replay', '--read', join(dir, 'nope.pcapng'), '--port', '9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.pcapng: no such file/);
    const noFlag = await runCli(['--mode', 'replay', '--port', '9']);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain('--mode replay needs --read FILE');
  });
});

describe('--read', () => {
  it('a file that is not a capture, or cut short: one clear line, exit 1', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const text = join(dir, 'text.pcap');
    writeFileSync(text, 'hello');
    const notCapture = await runCli(['--read', text]);
    expect(notCapture.code).toBe(1);
    expect(notCapture.stderr.trim()).toMatch(/^Error: .*text\.pcap: This is not a pcap or pcapng capture file/);
    const file = join(dir, 'client.pcapng');
    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, readFileSync(file).subarray(0, 300));
    const truncated = await runCli(['--read', cut]);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/cut short/);
    expect(truncated.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
