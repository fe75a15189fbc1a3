/**
 * The Captures tool in Chromium: a client's log exported as pcapng, imported back in a new
 * window with the same rows (and ACK pairing), read by tshark with msp.lua as well; a damaged
 * file says what is wrong; a recording made between Record and Stop. Screenshots light, dark
 * and Japanese.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCapture } from '../../shared/capture/import-capture.ts';
import { TSHARK, tsharkFields } from '../helpers/capture-tools.ts';
import { AppPage, waitForAttribute, waitForCount, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite, type OpenAppOptions } from './helpers/guiSuite.ts';

const title = `Captures tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;
const dir = mkdtempSync(join(tmpdir(), 'msp-captures-gui-'));

// Each test runs a server window and two clients; the replay test waits out missing replies: on a loaded 2-core machine that takes a while.
describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, { timeout: 120_000 }, () => {
  const suite = useGuiSuite('out/test-host-captures');

  /** Everything a row shows but the ACK cell's round trip (measured live, computed from capture times on import). */
  const rowTexts = async (app: AppPage) =>
    app.rows.evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('[role=cell]'))
          .map((cell) => (cell.getAttribute('data-testid') === 'ack-cell' ? (cell.textContent ?? '').replace(/[\d.]+ ms/, 'N ms') : cell.textContent))
          .join(' | '),
      ),
    );

  async function openCaptures(options?: OpenAppOptions): Promise<AppPage> {
    const app = await suite.openApp(options);
    await app.byTestId('tool-captures').click();
    await app.byTestId('captures-panel').waitFor();
    return app;
  }

  async function recordedSession(): Promise<{ client: AppPage; server: AppPage; port: number; file: string }> {
    const server = await suite.openApp();
    const port = await server.startServer();
    const client = await suite.openApp();
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    await client.send('Hello capture');
    await waitForText(client.row('Hello capture').getByTestId('ack-cell'), /✓/);
    await client.send('AA 55 00 0A 01 10 62 61 64 00', 'raw'); // a bad CRC, sent raw
    await client.send('second message');
    await waitForText(client.row('second message').getByTestId('ack-cell'), /✓/);
    await waitForCount(client.rows, 5); // DATA, ACK, raw, DATA, ACK
    await client.byTestId('tool-captures').click();
    const download = client.page.waitForEvent('download');
    await client.byTestId('capture-export-all').click();
    const file = join(dir, 'client.pcapng');
    writeFileSync(file, readFileSync((await (await download).path())!));
    return { client, server, port, file };
  }

  it('export from the log, import in a new window: the same rows, ACKs paired; tshark reads the same packets', async () => {
    const { client, file } = await recordedSession();
    const original = await rowTexts(client);

    const fresh = await openCaptures();
    await fresh.byTestId('capture-import-input').setInputFiles(file);
    await waitForText(fresh.byTestId('capture-import-summary'), /client\.pcapng: MSP packets: 4\. Streams: 1 \(MSP: 1\)\./);
    await waitForCount(fresh.rows, original.length);
    expect(await rowTexts(fresh)).toEqual(original);
    await waitForText(fresh.row('Hello capture').getByTestId('ack-cell'), /^✓ /);
    await fresh.page.screenshot({ path: join(SCREENSHOTS, 'captures-import-light.png') });

    // The same file in Wireshark's reader with our dissector: the packets the log shows.
    if (TSHARK || process.env.CI === 'true') {
      const rows = tsharkFields(file, ['msp.text', 'msp.crc', 'msp.crc.expected']);
      expect(rows.map((r) => r[0])).toEqual(['Hello capture', 'OK', 'bad', 'second message', 'OK']);
      expect(rows[2].slice(1)).toEqual(['0x00', '0x27']);
    }
    // And our own reader outside the window agrees on what went out and came in.
    const dirs: string[] = [];
    const read = importCapture(readFileSync(file), (e) => e.kind === 'entry' && dirs.push(e.entry.dir));
    expect(read.ok).toBe(true);
    expect(dirs).toEqual(['out', 'in', 'out', 'out', 'in']);
  });

  it('a damaged file: a clear error in the panel, nothing else changes', async () => {
    const app = await openCaptures();
    const broken = join(dir, 'broken.pcap');
    writeFileSync(broken, Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000deadbeef', 'hex'));
    await app.byTestId('capture-import-input').setInputFiles(broken);
    const error = app.byTestId('capture-import-error');
    await waitForText(error, /broken\.pcap: The capture file is cut short/);
    expect(await error.getAttribute('data-code')).toBe('CAPTURE_ERR_TRUNCATED');
    expect(await app.rows.count()).toBe(0);
  });

  it('Record, then Stop and save: only what went by in between', async () => {
    const server = await suite.openApp();
    const port = await server.startServer();
    const client = await suite.openApp();
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    await client.send('before');
    await waitForText(client.row('before').getByTestId('ack-cell'), /✓/);
    await client.byTestId('tool-captures').click();
    await client.byTestId('capture-record').click();
    await client.send('during');
    await waitForText(client.row('during').getByTestId('ack-cell'), /✓/);
    await waitForText(client.byTestId('capture-recording'), /2 rows/);
    const download = client.page.waitForEvent('download');
    await client.byTestId('capture-stop').click();
    const texts: string[] = [];
    const result = importCapture(readFileSync((await (await download).path())!), (e) => {
      if (e.kind === 'entry') texts.push(Buffer.from(e.entry.raw.subarray(6, -1)).toString());
    });
    expect(result.ok).toBe(true);
    expect(texts).toEqual(['during', 'OK']);
    expect(await client.byTestId('capture-replay-command').textContent()).toBe(`msp --mode replay --read FILE.pcapng --host 127.0.0.1 --port ${port}`);
  });

  it('replay from the panel: no differences against the same server; with its auto-ACK off, the missing replies listed', async () => {
    const { server, port, file } = await recordedSession();
    const replayer = await suite.openApp();
    await replayer.connect(port);
    await waitForAttribute(replayer.status, 'data-state', 'connected');
    await replayer.byTestId('tool-captures').click();
    await replayer.byTestId('capture-replay-input').setInputFiles(file);
    const result = replayer.byTestId('capture-replay-result');
    await waitForText(result, /No differences: 3 messages sent, 2 replies as recorded\./);
    await waitForCount(replayer.rows, 5); // the replayed DATA, raw bytes and DATA, and the two ACKs

    await server.byTestId('tool-connection').click();
    await server.byTestId('auto-ack').click();
    await waitForAttribute(server.byTestId('auto-ack'), 'aria-checked', 'false');
    await replayer.byTestId('capture-replay-input').setInputFiles(file);
    await waitForText(result, /2 differences: 3 messages sent, 0 replies \(2 recorded\)\./, 30_000);
    expect(await replayer.byTestId('capture-difference').allTextContents()).toEqual([
      'Reply 1: expected AA 55 00 09 01 11 4F 4B 9A, got nothing',
      'Reply 2: expected AA 55 00 09 01 11 4F 4B 9A, got nothing',
    ]);
    await replayer.byTestId('captures-panel').screenshot({ path: join(SCREENSHOTS, 'captures-replay-differences-light.png') });
  });

  it('screenshots: dark and Japanese, after an import', async () => {
    const file = join(dir, 'client.pcapng');
    for (const [name, options] of [
      ['captures-import-dark.png', { colorScheme: 'dark' }],
      ['captures-import-ja-light.png', { locale: 'ja-JP' }],
    ] as const) {
      const app = await openCaptures(options);
      await app.byTestId('capture-import-input').setInputFiles(file);
      await waitForCount(app.rows, 5);
      await app.page.screenshot({ path: join(SCREENSHOTS, name) });
    }
  });
});
