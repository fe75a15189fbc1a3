/**
 * Secure links in the app's UI, in a real browser through the test host (see gui.test.ts):
 * a server panel and a client with the same password talk MSP v3, a wrong password says
 * so, and the password is nowhere in the exported log or the settings file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppPage, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite } from './helpers/guiSuite.ts';

const PASSWORD = 'tsuki-no-usagi 42';
const title = `secure links in the desktop app UI (Chromium)${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  // Its own build folder: gui.test.ts may be building at the same time.
  const suite = useGuiSuite('out/test-host-secure');
  /** An app window with its own settings folder (`profile`). */
  const openApp = (profile: string) => suite.openApp({ query: `profile=${profile}` });

  async function passwordServer(): Promise<{ server: AppPage; port: number }> {
    const server = await openApp('secure-server');
    await server.byTestId('mode').getByRole('radio', { name: /server/i }).click();
    await server.byTestId('password').fill(PASSWORD);
    await server.byTestId('allow-legacy').uncheck();
    const port = await server.startServer();
    await waitForAttribute(server.byTestId('status-lock'), 'data-lock', 'v3');
    return { server, port };
  }

  it('server and client with the same password talk MSP v3: "Hello secure" ACKed, the lock shows v3, ciphertext and plaintext side by side', async () => {
    const { server, port } = await passwordServer();
    const client = await openApp('secure-client');
    await client.byTestId('password').fill(PASSWORD);
    await client.byTestId('remember').check();
    // MSP v3 is the default choice once a password is typed; the weak one is there by name.
    expect(await client.byTestId('scheme-v3').locator('input').isChecked()).toBe(true);
    await expect(client.byTestId('scheme-legacy').textContent()).resolves.toMatch(/msp-secure\.py \(weak\)/);
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    await waitForAttribute(client.byTestId('status-lock'), 'data-lock', 'v3');

    await client.send('Hello secure');
    const data = client.rows.filter({ hasText: 'Hello secure' }).first();
    await waitForText(data.getByTestId('ack-cell'), /✓/);
    expect(await data.getAttribute('data-lock')).toBe('v3');
    await waitForText(server.byTestId('log-status'), /\d/);
    await waitForAttribute(server.rows.filter({ hasText: 'Hello secure' }).first(), 'data-lock', 'v3');

    await data.click();
    const wire = await client.byTestId('inspector').getByTestId('hexdump').first().textContent();
    // The decrypted dump (8 bytes a row): its ASCII and hex columns, read row after row.
    const plainDump = client.byTestId('plaintext-dump');
    expect((await plainDump.locator('.hex-ascii').allTextContents()).join('')).toBe('Hello secure');
    expect((await plainDump.locator('.hex-bytes').allTextContents()).join('')).toBe(Buffer.from('Hello secure').toString('hex').toUpperCase());
    expect(wire).not.toContain('Hello secure'); // the wire carries ciphertext
    // The rates panel refreshes once a second: show it with the round trip it measured.
    await waitForText(client.byTestId('rtt'), /p99/);
    await client.page.screenshot({ path: join(SCREENSHOTS, 'secure-client-v3.png') });
    await client.byTestId('inspector').screenshot({ path: join(SCREENSHOTS, 'secure-hexdump-v3.png') });
    await server.page.screenshot({ path: join(SCREENSHOTS, 'secure-server-v3.png') });

    // The password is in no exported log and not in the settings file.
    const download = client.page.waitForEvent('download');
    await client.byTestId('export-json').click();
    const exported = readFileSync((await (await download).path())!, 'utf8');
    expect(exported).not.toContain(PASSWORD);
    const rows = JSON.parse(exported) as Array<{ text: string | null; lock: string | null; type: string | null }>;
    expect(rows.find((row) => row.text === 'Hello secure')).toMatchObject({ type: 'SEALED_DATA', lock: 'v3' });
    for (const profile of ['secure-client', 'secure-server']) {
      expect(readFileSync(join(suite.host.profilesDir, profile, 'settings.json'), 'utf8')).not.toContain(PASSWORD);
    }
    // Remembered (in the backend's store): the field offers it without ever showing it.
    await client.byTestId('link-button').click();
    await waitForAttribute(client.status, 'data-state', 'idle');
    await client.byTestId('password').fill('');
    expect(await client.byTestId('password').getAttribute('placeholder')).toMatch(/Remembered password/);
    expect(await client.byTestId('password').inputValue()).toBe('');
  }, 60_000);

  it('a wrong password says "Wrong password" in plain words', async () => {
    const { port } = await passwordServer();
    const client = await openApp('secure-wrong');
    await client.byTestId('password').fill('not the password');
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'error');
    await waitForAttribute(client.byTestId('link-error'), 'data-code', 'CRYPTO_ERR_WRONG_PASSWORD');
    await waitForText(client.byTestId('link-error'), /Wrong password/);
    await waitForText(client.status, /Wrong password/);
    expect(await client.byTestId('link-request-error').count()).toBe(0); // said once, not twice
    await client.page.screenshot({ path: join(SCREENSHOTS, 'secure-wrong-password.png') });
  }, 60_000);
});
