/**
 * The desktop app's UI in a real browser (Debian's Chromium, driven by playwright-core).
 * The renderer is built as the app ships it and served by the test host, whose
 * `window.msp` goes over a WebSocket to the real backend: real bytes over real sockets on
 * 127.0.0.1, only the preload hop replaced. Each page is a separate app window.
 */
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketType, encodePacket } from '../../shared/msp/index.ts';
import { AppPage, waitForAttribute, waitForCount, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite, type OpenAppOptions } from './helpers/guiSuite.ts';

const title = `desktop app UI in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  const suite = useGuiSuite();
  const openApp = (options?: OpenAppOptions) => suite.openApp(options);

  async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function serverAndClient(): Promise<{ server: AppPage; client: AppPage; port: number }> {
    const server = await openApp();
    const port = await server.startServer();
    const client = await openApp();
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    await waitForText(server.status, /1 client/);
    return { server, client, port };
  }

  it('server panel and client: "Hello MSP" shows in the server log, and its ACK with the round-trip time in the client log', async () => {
    const { server, client, port } = await serverAndClient();
    expect(await client.status.textContent()).toBe(`Connected to 127.0.0.1:${port}`);
    expect(await server.byTestId('client-row').count()).toBe(1);

    // The wire preview shows the exact packet with LENGTH and CRC filled in, before sending.
    await client.byTestId('send-input').fill('Hello MSP');
    expect(await client.byTestId('wire-bytes').textContent()).toBe('AA550010011048656C6C6F204D535004');
    expect(await client.byTestId('wire-preview').textContent()).toMatch(/16 bytes.*LENGTH 16.*CRC 04/);
    await client.byTestId('send-input').press('Enter');

    const dataOut = client.row('Hello MSP');
    // A round trip of 100 ms or more (a loaded machine) is shown without decimals (formatMs).
    await waitForText(dataOut.getByTestId('ack-cell'), /^✓ \d+(\.\d+)? ms$/);
    expect(await dataOut.getAttribute('data-dir')).toBe('out');
    const ackIn = client.row(/ACK/).filter({ hasText: 'OK' });
    await waitForText(ackIn.getByTestId('ack-cell'), /for #1/);

    const dataIn = server.row('Hello MSP');
    await dataIn.waitFor();
    expect(await dataIn.getAttribute('data-dir')).toBe('in');
    expect(await dataIn.textContent()).toMatch(/DATA.*16.*04 OK/);
    await waitForCount(server.rows, 2); // DATA in, ACK out
    expect(await server.rows.nth(1).getAttribute('data-dir')).toBe('out');

    // The client's rates panel shows the round trip.
    await waitForText(client.byTestId('rtt'), /[\d.]+ msmin[\d.]+ msavg[\d.]+ msp99/);
    // The input was cleared and the message went to the history: up brings it back.
    expect(await client.byTestId('send-input').inputValue()).toBe('');
    await client.byTestId('send-input').press('ArrowUp');
    expect(await client.byTestId('send-input').inputValue()).toBe('Hello MSP');
  });

  it('a raw frame with a wrong CRC: the server flags it with the CRC it should have had', async () => {
    const { server, client } = await serverAndClient();
    const broken = 'AA 55 00 10 01 10 48 65 6C 6C 6F 20 4D 53 50 00';
    await client.byTestId('send-format').getByRole('radio', { name: 'Raw' }).click();
    await client.byTestId('send-input').fill(broken);
    // The preview warns before it is sent, and it is still sent: raw means exactly these bytes.
    expect(await client.byTestId('wire-warning').textContent()).toBe(
      'The CRC is 00 but the payload sums to 04: a receiver rejects this frame.',
    );
    await client.byTestId('send-input').press('Enter');

    const bad = server.page.locator('[data-testid="log-row"][data-kind="bad-frame"]');
    await bad.waitFor();
    expect(await bad.getByTestId('crc-cell').textContent()).toBe('00 ≠ 04');
    expect(await bad.textContent()).toMatch(/BAD FRAME.*BAD_CRC/);
    await bad.click();
    const inspector = server.byTestId('inspector');
    expect(await inspector.getByTestId('problems').textContent()).toContain('The CRC is 00 but the payload sums to 04');
    const crcRow = inspector.locator('tr[data-field-name="crc"]');
    expect(await crcRow.textContent()).toMatch(/CRC.*15.*00.*Wrong: should be 04/);
    // Hovering a byte highlights its field: every byte of it, and its row in the table.
    await inspector.locator('.hex-byte').nth(2).hover(); // a LENGTH byte
    expect(await inspector.locator('.hex-byte.hot').allTextContents()).toEqual(['00', '10']);
    expect(await inspector.locator('tr.hot').getAttribute('data-field-name')).toBe('length');
    await crcRow.hover();
    expect(await inspector.locator('.hex-byte.hot').allTextContents()).toEqual(['00']);
    expect(await inspector.locator('.hex-byte.hot').getAttribute('class')).toContain('f-bad');
    // No ACK went back for it. Sentinel: a good DATA sent after it; once its ACK is back, an ACK
    // for the bad frame would have come first.
    await client.byTestId('send-format').getByRole('radio', { name: 'Text' }).click();
    await client.byTestId('send-input').fill('sentinel');
    await client.byTestId('send-input').press('Enter');
    await waitForText(client.row('sentinel').getByTestId('ack-cell'), /^✓ /);
    await waitForCount(server.rows, 3); // bad frame in, sentinel in, its ACK out
    expect(await server.rows.nth(0).getAttribute('data-kind')).toBe('bad-frame');
    expect(await server.row(/ACK/).count()).toBe(1);
    await waitForCount(client.rows, 3); // raw out, sentinel out, its ACK in
    expect(await client.row(/ACK/).count()).toBe(1);
  });

  it('disconnecting the client from the server panel: the client notices and says so in plain words', async () => {
    const { server, client, port } = await serverAndClient();
    await server.byTestId('disconnect-client').click();
    await waitForAttribute(client.status, 'data-state', 'error');
    expect(await client.status.textContent()).toBe('Connection closed');
    expect(await client.byTestId('link-error').textContent()).toContain(`127.0.0.1:${port} closed the connection.`);
    expect(await client.byTestId('link-button').textContent()).toBe('Connect');
    await waitForText(server.status, /no clients/);
    expect(await server.byTestId('server-panel').textContent()).toContain('No client connected yet.');
  });

  it('invalid hex is pointed at while typing, and never sent', async () => {
    const { server, client } = await serverAndClient();
    await client.byTestId('send-format').getByRole('radio', { name: 'Hex' }).click();
    await client.byTestId('send-input').fill('48 65 6G 6C');
    const note = client.byTestId('hex-error');
    expect(await note.getAttribute('data-position')).toBe('7');
    expect(await note.locator('mark').textContent()).toBe('G');
    expect(await note.textContent()).toContain('"G" is not a hex digit (column 8)');
    expect(await client.byTestId('send-input').getAttribute('aria-invalid')).toBe('true');
    expect(await client.byTestId('send-button').isDisabled()).toBe(true);
    await client.byTestId('send-input').press('Enter');

    // Sentinel: the corrected input sent after it; once it has arrived, the refused one would have come first.
    await client.byTestId('send-input').fill('48 65 6C 6C 6F');
    expect(await client.byTestId('wire-bytes').textContent()).toBe('AA55000C011048656C6C6FF4');
    await client.byTestId('send-input').press('Enter');
    await server.row('Hello').waitFor();
    expect(await server.rows.first().textContent()).toContain('Hello');
    expect(await client.rows.first().textContent()).toContain('Hello');
  });

  it('connecting where nothing listens says "Connection refused" and what to do', async () => {
    const server = await openApp();
    const port = await server.startServer();
    await server.byTestId('link-button').click(); // stop: now nothing listens on that port
    await waitForAttribute(server.status, 'data-state', 'idle');
    const client = await openApp();
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'error');
    expect(await client.status.textContent()).toBe('Connection refused');
    expect(await client.byTestId('link-error').textContent()).toContain('Nothing is listening there.');
  });

  it('selecting a client in the server panel filters the log to it; repeat N at an interval', async () => {
    const { server, client, port } = await serverAndClient();
    const other = await openApp();
    await other.connect(port);
    await waitForText(server.status, /2 clients/);
    await client.byTestId('repeat').fill('3');
    await client.byTestId('interval').fill('20');
    await client.send('tick');
    await waitForCount(client.rows.filter({ hasText: /✓ \d/ }), 3);
    await other.send('from the other one');
    await server.row('from the other one').waitFor();

    const clientPeer = (await server.row('tick').first().locator('.c-peer').textContent())!;
    await server.byTestId('client-list').locator(`[data-peer="${clientPeer}"] .client-main`).click();
    await waitForCount(server.rows, 6); // 3 DATA in + 3 ACK out from that client only
    expect(await server.byTestId('server-panel').textContent()).toContain(`The log shows only ${clientPeer}.`);
    await server.byTestId('server-panel').getByRole('button', { name: 'Show all' }).click();
    await waitForCount(server.rows, 8);
  });

  it('exports the log as CSV and JSON, and copies a packet as a C array through the app', async () => {
    const { client } = await serverAndClient();
    await client.send('=cmd|"/c calc"!A1, "quoted"');
    await waitForText(client.rows.first().getByTestId('ack-cell'), /✓/);

    const csvDownload = client.page.waitForEvent('download');
    await client.byTestId('export-csv').click();
    const csv = readFileSync((await (await csvDownload).path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('seq,time,direction,peer,kind,type,length,crc,expected_crc,ack,rtt_ms,error,text,hex,lock,refused,inner_type');
    expect(csv[1]).toMatch(/^1,[\d\-T:.]+Z,out,127\.0\.0\.1:\d+,packet,DATA,34,ok,,acked,[\d.]+,,"'=cmd\|""\/c calc""!A1, ""quoted""",AA55/);

    const jsonDownload = client.page.waitForEvent('download');
    await client.byTestId('export-json').click();
    const json = JSON.parse(readFileSync((await (await jsonDownload).path())!, 'utf8'));
    expect(json.map((r: { type: string; direction: string }) => [r.direction, r.type])).toEqual([['out', 'DATA'], ['in', 'ACK']]);

    await client.row('ACK').click();
    await client.byTestId('copy-c').click();
    await waitForText(client.byTestId('notice'), /Copied as a C array/);
    expect(suite.host.copied.at(-1)).toBe('const uint8_t msp_packet[9] = {\n  0xAA, 0x55, 0x00, 0x09, 0x01, 0x11, 0x4F, 0x4B, 0x9A\n};');
  });

  it("the tool rail: every tool's button shows its own panel beside the log, by click and by arrow keys", async () => {
    const app = await openApp();
    const rail = app.page.getByRole('tablist', { name: 'Tools' });
    const tabs = rail.getByRole('tab');
    const ids = await tabs.evaluateAll((buttons) => buttons.map((b) => b.id.replace(/^tool-/, '')));
    expect(ids[0]).toBe('connection');
    expect(await app.byTestId('tool-connection').getAttribute('aria-selected')).toBe('true');
    await app.byTestId('tool-panel-connection').waitFor();
    for (const id of ids) {
      await app.byTestId(`tool-${id}`).click();
      await waitForAttribute(app.byTestId(`tool-${id}`), 'aria-selected', 'true');
      await app.byTestId(`tool-panel-${id}`).waitFor();
      await app.byTestId('log-scroll').waitFor(); // the log stays beside every tool
    }
    // Arrow keys move along the rail and wrap, as a vertical tab list does.
    await app.byTestId('tool-connection').click();
    await app.byTestId('tool-connection').press('ArrowUp');
    const last = ids.at(-1)!;
    await waitForAttribute(app.byTestId(`tool-${last}`), 'aria-selected', 'true');
    expect(await app.page.evaluate(() => document.activeElement?.id)).toBe(`tool-${last}`);
    await app.byTestId(`tool-${last}`).press('ArrowDown');
    await waitForAttribute(app.byTestId('tool-connection'), 'aria-selected', 'true');
    await app.byTestId('client-port').waitFor();
  });

  it('follows the OS language (Japanese) and theme (dark), and both can be switched', async () => {
    const app = await openApp({ locale: 'ja-JP', colorScheme: 'dark' });
    expect(await app.page.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await app.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await app.status.textContent()).toBe('待機中');
    expect(await app.byTestId('link-button').textContent()).toBe('接続');
    await app.byTestId('language').selectOption('en');
    expect(await app.status.textContent()).toBe('Idle');
    await app.byTestId('theme').selectOption('light');
    expect(await app.page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('remembers mode, host, port and the save-history choice (off by default); a corrupt settings file gives defaults and a visible warning', async () => {
    const first = await openApp({ query: 'profile=remember' });
    await first.byTestId('host').fill('192.0.2.10');
    await first.byTestId('client-port').fill('9100');
    await first.byTestId('link-button').click(); // saved when used, even if the connection then fails
    await first.byTestId('mode').getByRole('radio', { name: 'Server' }).click();
    // Sent messages are not kept unless asked for; the choice itself is kept.
    expect(await first.byTestId('save-history').getAttribute('aria-checked')).toBe('false');
    await first.byTestId('save-history').click();
    const saved = join(suite.host.profilesDir, 'remember', 'settings.json');
    await waitUntil(() => existsSync(saved) && readFileSync(saved, 'utf8').includes('"saveHistory": true'));
    await first.page.close();

    const again = await openApp({ query: 'profile=remember' });
    expect(await again.byTestId('app').getAttribute('data-mode')).toBe('server');
    await again.byTestId('mode').getByRole('radio', { name: 'Client' }).click();
    expect(await again.byTestId('host').inputValue()).toBe('192.0.2.10');
    expect(await again.byTestId('client-port').inputValue()).toBe('9100');
    expect(await again.byTestId('save-history').getAttribute('aria-checked')).toBe('true');

    mkdirSync(join(suite.host.profilesDir, 'broken'), { recursive: true });
    writeFileSync(join(suite.host.profilesDir, 'broken', 'settings.json'), '{"mode": "server", "history": [');
    const broken = await openApp({ query: 'profile=broken' });
    const warning = broken.byTestId('settings-warning');
    expect(await warning.textContent()).toContain('Your settings could not be read (it is not valid JSON), so the defaults are in use.');
    expect(await broken.byTestId('app').getAttribute('data-mode')).toBe('client');
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    expect(await warning.count()).toBe(0);
  });

  it('on Windows, listening on all interfaces shows the firewall hint with a copyable netsh command', async () => {
    const app = await openApp({ query: 'platform=win32' });
    await app.byTestId('mode').getByRole('radio', { name: 'Server' }).click();
    expect(await app.byTestId('firewall-hint').count()).toBe(0); // this computer only: nothing to allow
    await app.page.locator('input[name=bind][value="0.0.0.0"]').check();
    await app.byTestId('server-port').fill('9009');
    expect(await app.byTestId('firewall-command').textContent()).toBe(
      'netsh advfirewall firewall add rule name="MSP Workbench (TCP 9009)" dir=in action=allow protocol=TCP localport=9009 profile=private,domain',
    );
    await app.byTestId('firewall-hint').getByRole('button', { name: 'Copy command' }).click();
    await waitForText(app.byTestId('notice'), /Firewall command copied/);
    expect(suite.host.copied.at(-1)).toContain('localport=9009 profile=private,domain');
    await app.byTestId('firewall-hint').getByRole('button', { name: /About Windows Firewall/ }).click();
    await waitUntil(() => suite.host.opened.length > 0);
    expect(suite.host.opened.at(-1)).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  });

  it('the built page has the strict CSP: an injected inline script does not run', async () => {
    const app = await openApp();
    const csp = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("script-src 'self'");
    const ran = await app.page.evaluate(async () => {
      const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return { injected: 'injected' in window && (window as { __injected?: boolean }).__injected === true, violated: await violation };
    });
    expect(ran).toEqual({ injected: false, violated: 'script-src-elem' });
  });

  it('a flood of 60 KiB packets: the log keeps the newest within its memory limit and says how many older entries it dropped', async () => {
    const server = await openApp();
    const port = await server.startServer();
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    await once(socket, 'connect');
    let acked = 0;
    socket.on('data', (chunk: Buffer) => (acked += chunk.length));
    const count = 120;
    const packets = Array.from({ length: count }, (_, i) =>
      encodePacket({ version: 1, type: PacketType.DATA, payload: new Uint8Array(60 * 1024).fill(0x41 + (i % 26)) }),
    );
    socket.write(Buffer.concat(packets));
    await waitUntil(() => acked >= count * 9, 30_000); // the server took in every packet
    // 120 such packets cost the log ~80 MB by its count: it keeps about 100 and says so.
    const dropped = server.byTestId('log-dropped');
    await waitForText(dropped, /^Older entries dropped: [\d,]+ \(memory limit\)$/, 30_000);
    // Every entry (DATA in, ACK out) is in the log or counted as dropped, by the log or (under load) by main.
    const countOf = async (id: string) => Number((await server.byTestId(id).count()) > 0 ? await server.byTestId(id).getAttribute('data-count') : 0);
    const shown = async () => (await countOf('log-count')) + (await countOf('log-dropped')) + (await countOf('log-skipped'));
    for (const deadline = Date.now() + 30_000; (await shown()) < 2 * count && Date.now() < deadline; ) await server.page.waitForTimeout(100);
    expect(await shown()).toBe(2 * count);
    expect(await dropped.getAttribute('title')).toBe('The log keeps at most 100,000 entries or 67.1 MB of packets, the newest; export it to keep more.');
    const held = Number(await server.byTestId('log-count').getAttribute('data-count'));
    expect(held).toBeGreaterThan(50);
    expect(held).toBeLessThan(2 * count);
    socket.destroy();
    await waitForText(server.status, /no clients/);
    for (const scheme of ['light', 'dark'] as const) {
      await server.page.emulateMedia({ colorScheme: scheme });
      await waitForAttribute(server.page.locator('html'), 'data-theme', scheme);
      await server.page.waitForTimeout(400); // colour transitions
      await server.byTestId('log-status').screenshot({ path: join(SCREENSHOTS, `log-dropped-${scheme}.png`) });
      await server.page.screenshot({ path: join(SCREENSHOTS, `log-flood-${scheme}.png`) });
    }
    await server.page.emulateMedia({ colorScheme: 'light' });
    await server.byTestId('language').selectOption('ja');
    await waitForText(dropped, /^古いエントリを破棄: [\d,]+ 件（メモリ上限）$/);
    await server.byTestId('log-status').screenshot({ path: join(SCREENSHOTS, 'log-dropped-ja-light.png') });
  }, 90_000);

  it('screenshots: client, server panel and hex dump, light and dark', async () => {
    const { server, client, port } = await serverAndClient();
    const second = await openApp();
    await second.connect(port);
    await waitForText(server.status, /2 clients/);
    for (const message of ['Hello MSP', 'temperature=21.5', 'こんにちは、MSP']) await client.send(message);
    await client.send('01 02 03 FF 7F', 'hex');
    await second.send('status?');
    await client.send('AA 55 00 10 01 10 48 65 6C 6C 6F 20 4D 53 50 00', 'raw');
    await server.byTestId('broadcast-input').fill('server says hi');
    await server.byTestId('broadcast-input').press('Enter');
    await server.byTestId('notice').waitFor(); // "Sent to every client"...
    await server.byTestId('notice').waitFor({ state: 'detached' }); // ...fades before the screenshots
    await waitForText(client.byTestId('rtt'), /p99/);
    await waitForText(server.byTestId('rtt'), /p99/);
    await client.byTestId('send-format').getByRole('radio', { name: 'Text' }).click();
    await client.byTestId('send-input').fill('Hello again');
    await client.row('Hello MSP').first().click();
    await server.page.locator('[data-kind="bad-frame"]').first().click();
    await server.page.locator('.hex-byte.f-crc').first().hover();

    for (const scheme of ['light', 'dark'] as const) {
      for (const app of [client, server]) await app.page.emulateMedia({ colorScheme: scheme });
      // The page hears the OS change asynchronously: wait for it rather than race it.
      await waitForAttribute(client.page.locator('html'), 'data-theme', scheme);
      await client.page.waitForTimeout(400); // let the buttons' colour transitions finish
      await client.page.screenshot({ path: join(SCREENSHOTS, `client-${scheme}.png`) });
      await server.page.screenshot({ path: join(SCREENSHOTS, `server-${scheme}.png`) });
      await server.byTestId('inspector').screenshot({ path: join(SCREENSHOTS, `hexdump-${scheme}.png`) });
    }
    await server.page.emulateMedia({ colorScheme: 'light' });
    await server.byTestId('language').selectOption('ja');
    await server.page.waitForTimeout(400);
    await server.page.screenshot({ path: join(SCREENSHOTS, 'server-ja-light.png') });
  });
});
