/**
 * The Packets tool in a real browser (Debian's Chromium), against the real backend through the
 * test host: make a saved packet with a counter field, send it with one click and with its
 * Ctrl+1 shortcut (both reach the server's log, the counter going up), import a library with a
 * sequence and run it to completion, export the library and read it back, and a damaged import
 * refused with its reason. Screenshots in light, dark and Japanese.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseLibrary } from '../../shared/automation/packets.ts';
import { waitForAttribute, waitForText, type AppPage } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite, type OpenAppOptions } from './helpers/guiSuite.ts';

const title = `Packets tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

const LIBRARY = {
  format: 'msp-workbench-packets',
  version: 1,
  packets: [
    { id: 'hello', name: 'Hello device', folder: 'Arduino', format: 'text', body: 'hello #{{counter}}', key: 2 },
    { id: 'status', name: 'Status query', folder: 'Arduino', format: 'hex', body: '53 3F {{counter:u8}}' },
    { id: 'crc', name: 'Broken CRC (raw)', folder: 'FreeDOS PC', format: 'raw', body: 'AA 55 00 08 01 10 41 00' },
  ],
  sequences: [
    {
      id: 'greet',
      name: 'Greet and wait for ACK',
      steps: [
        { do: 'send', packet: 'hello', label: 'top' },
        { do: 'wait', match: { type: 0x11, text: 'OK' }, timeoutMs: 3000 },
        { do: 'repeat', goto: 'top', times: 1 },
      ],
    },
  ],
};

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  const suite = useGuiSuite('out/test-host-packets');

  async function serverAndClient(options: OpenAppOptions = {}): Promise<{ server: AppPage; client: AppPage }> {
    const server = await suite.openApp(options);
    const port = await server.startServer();
    const client = await suite.openApp(options);
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    await client.byTestId('tool-packets').click();
    return { server, client };
  }

  it('a saved packet with a counter: one click sends it, Ctrl+1 sends it again, both in the server log', async () => {
    const { server, client } = await serverAndClient();
    await client.byTestId('packets-new').click();
    await client.byTestId('packet-name').fill('Ping');
    await client.byTestId('packet-folder').fill('Arduino');
    await client.byTestId('packet-body').fill('ping {{counter}}');
    await client.byTestId('packet-key').selectOption('1');
    // What the first send puts on the wire, LENGTH and CRC filled in.
    expect(await client.byTestId('packet-preview').textContent()).toBe('AA 55 00 0D 01 10 70 69 6E 67 20 31 FF');
    await client.page.screenshot({ path: join(SCREENSHOTS, 'packets-editor-light.png') });
    await client.byTestId('packet-save').click();

    await client.byTestId('packet-send-Ping').click();
    await server.row('ping 1').waitFor();
    // The client's own log pairs it with the server's ACK.
    await waitForText(client.row('ping 1').getByTestId('ack-cell'), /^✓ \d+(\.\d+)? ms$/);

    await client.page.keyboard.press('Control+1');
    await server.row('ping 2').waitFor();
    expect(await server.row('ping 2').getAttribute('data-dir')).toBe('in');
  });

  it('imports a library, runs its sequence to completion, exports it again; a damaged file is refused', async () => {
    const { server, client } = await serverAndClient();
    const file = join(tmpdir(), `msp-packets-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(LIBRARY));
    await client.byTestId('packets-import-file').setInputFiles(file);
    await client.byTestId('packet-hello').waitFor();
    expect(await client.byTestId('packets-panel').textContent()).toMatch(/ArduinoHello device.*Ctrl\+2.*Status query.*FreeDOS PCBroken CRC \(raw\)RAW/);

    await client.byTestId('sequence-run-greet').click();
    await waitForAttribute(client.byTestId('sequence-state'), 'data-state', 'passed');
    const steps = await client.byTestId('sequence-steps').locator('li').allTextContents();
    expect(steps).toHaveLength(6);
    expect(steps[0]).toBe('1 send sent "Hello device" (DATA, 8 bytes)');
    expect(steps[1]).toMatch(/^2 wait got ACK "OK" after \d+ ms$/);
    expect(steps[5]).toMatch(/^3 repeat repeated 1 time; going on$/);
    await server.row('hello #1').waitFor();
    await server.row('hello #2').waitFor();

    // One click on a raw packet puts its bytes on the wire as they are: the server flags the CRC.
    await client.byTestId('packet-send-crc').click();
    await waitForText(server.row(/CRC/), /CRC/);

    for (const scheme of ['light', 'dark'] as const) {
      await client.page.emulateMedia({ colorScheme: scheme });
      await client.page.locator(`html[data-theme=${scheme}]`).waitFor({ state: 'attached' });
      // Buttons fade their colours (0.12 s): let them settle before the picture.
      await client.page.waitForTimeout(400);
      await client.page.screenshot({ path: join(SCREENSHOTS, `packets-${scheme}.png`) });
    }

    const download = client.page.waitForEvent('download');
    await client.byTestId('packets-export').click();
    const saved = await (await download).path();
    const exported = parseLibrary(readFileSync(saved!, 'utf8'));
    expect(exported.ok && exported.value.packets.map((p) => p.id)).toEqual(['hello', 'status', 'crc']);
    expect(exported.ok && exported.value.sequences[0].steps).toHaveLength(3);

    writeFileSync(file, JSON.stringify({ ...LIBRARY, packets: [{ id: 'x', name: 'X', body: '{{nope}}' }], sequences: [] }));
    await client.byTestId('packets-import-file').setInputFiles(file);
    await waitForText(client.byTestId('packets-error'), /packets\[0\]\.body: "\{\{nope\}\}" at column 1 is not a field/);
    // Nothing was lost.
    expect(await client.byTestId('packet-hello').count()).toBe(1);
  });

  it('Japanese: the panel and a sequence run, screenshot', async () => {
    const { client } = await serverAndClient({ locale: 'ja-JP' });
    const file = join(tmpdir(), `msp-packets-ja-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(LIBRARY));
    await client.byTestId('packets-import-file').setInputFiles(file);
    await client.byTestId('sequence-run-greet').click();
    await waitForAttribute(client.byTestId('sequence-state'), 'data-state', 'passed');
    expect(await client.byTestId('sequence-state').textContent()).toBe('完了');
    expect(await client.byTestId('tool-packets').textContent()).toContain('パケット');
    await client.page.screenshot({ path: join(SCREENSHOTS, 'packets-ja-light.png') });
  });
});
