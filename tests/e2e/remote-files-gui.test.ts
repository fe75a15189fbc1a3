/**
 * get-file and put-file from the Remote tool in a real browser: one window is the controlled
 * side (a commands file sharing a folder, a password server), another gets a file into its
 * Transfers receive folder (it shows in the Transfers list) and puts a file picked with the
 * form's file picker. Screenshots light, dark and Japanese.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppPage, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite, type OpenAppOptions } from './helpers/guiSuite.ts';

const PASSWORD = 'remote-files-gui-password';
const title = `get-file and put-file in the Remote tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  const suite = useGuiSuite('out/test-host-remote-files');

  async function controlledServer(): Promise<{ server: AppPage; port: number; shared: string; report: Buffer }> {
    const dir = mkdtempSync(join(tmpdir(), 'msp-remote-files-gui-'));
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const report = Buffer.from('Quarterly figures\n'.repeat(4000));
    writeFileSync(join(shared, 'report.txt'), report);
    const file = join(dir, 'remote-commands.json');
    writeFileSync(file, JSON.stringify({ version: 1, builtins: { files: { folder: 'shared', list: true, get: true, put: true, maxPutBytes: 1_048_576 } } }));
    const server = await suite.openApp({ query: 'profile=remote-files-server' });
    await server.byTestId('mode').getByRole('radio', { name: /server/i }).click();
    await server.byTestId('tool-remote').click();
    await server.byTestId('remote-file').fill(file);
    await server.byTestId('remote-use').click();
    await waitForText(server.byTestId('remote-offering'), /list-files, get-file, put-file/);
    await server.byTestId('tool-connection').click();
    await server.byTestId('password').fill(PASSWORD);
    await server.byTestId('allow-legacy').uncheck();
    return { server, port: await server.startServer(), shared, report };
  }

  /** A controller whose Transfers receive folder is a fresh temp folder; it ends on the Remote tool. */
  async function controller(port: number, options: OpenAppOptions): Promise<{ client: AppPage; landing: string }> {
    const landing = mkdtempSync(join(tmpdir(), 'msp-remote-files-landing-'));
    const client = await suite.openApp(options);
    await client.byTestId('tool-transfers').click();
    await client.byTestId('receive-folder').fill(landing);
    await client.byTestId('receive-folder').blur();
    await client.byTestId('tool-connection').click();
    await client.byTestId('password').fill(PASSWORD);
    await client.connect(port);
    await waitForAttribute(client.byTestId('status-lock'), 'data-lock', 'v3');
    await client.byTestId('tool-remote').click();
    await waitForText(client.byTestId('remote-commands'), /put-file/);
    return { client, landing };
  }

  async function putFile(client: AppPage, name: string, content: string, as: string): Promise<void> {
    await client.page.locator('[data-testid=remote-command][data-name=put-file] button').click();
    await client.byTestId('remote-put-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
    await waitForText(client.byTestId('remote-put-chosen'), new RegExp(name.replace('.', '\\.')));
    await client.byTestId('remote-param-name').fill(as);
    await client.byTestId('remote-run').click();
    await waitForAttribute(client.byTestId('remote-run-output'), 'data-state', 'exited', 20_000);
  }

  it('gets a file into the Transfers receive folder (and list), and puts a picked file into the shared folder, both verified', async () => {
    const { server, port, shared, report } = await controlledServer();
    const { client, landing } = await controller(port, { query: 'profile=remote-files-client' });

    await client.page.locator('[data-testid=remote-command][data-name=get-file] button').click();
    await waitForText(client.byTestId('remote-get-lands'), new RegExp(`lands in ${landing}`));
    await client.byTestId('remote-param-name').fill('report.txt');
    await client.byTestId('remote-run').click();
    await waitForAttribute(client.byTestId('remote-run-output'), 'data-state', 'exited', 20_000);
    expect(await client.byTestId('remote-exit').getAttribute('data-code')).toBe('0');
    await waitForText(client.byTestId('remote-file'), new RegExp(`Saved in ${landing} as report.txt: 72000 bytes, SHA-256 ${sha(report)} verified on both ends`));
    expect(sha(readFileSync(join(landing, 'report.txt')))).toBe(sha(report));
    await client.page.screenshot({ path: join(SCREENSHOTS, 'remote-get-file-light.png') });

    await putFile(client, 'notes.txt', 'notes from the controller\n', 'sub/notes.txt');
    expect(await client.byTestId('remote-exit').getAttribute('data-code')).toBe('0');
    await waitForText(client.byTestId('remote-output'), /Saved as notes\.txt \(the name was made safe: "sub\/notes\.txt"\)/);
    expect(readFileSync(join(shared, 'notes.txt'), 'utf8')).toBe('notes from the controller\n');
    await client.page.screenshot({ path: join(SCREENSHOTS, 'remote-put-file-light.png') });

    // Both files show in the Transfers list.
    await client.byTestId('tool-transfers').click();
    await waitForAttribute(client.page.locator('[data-testid=transfer-row][data-name="report.txt"]'), 'data-state', 'done');
    await waitForAttribute(client.page.locator('[data-testid=transfer-row][data-name="notes.txt"]'), 'data-state', 'done');
    // The controlled window's list says where the put file went: the shared folder, not its receive folder.
    await server.byTestId('tool-transfers').click();
    await waitForText(server.page.locator('[data-testid=transfer-row][data-name="notes.txt"]').getByTestId('transfer-saved'), new RegExp(`Saved as notes\\.txt in ${shared}`));
  }, 90_000);

  it('screenshots dark and Japanese: the put-file form with a file chosen, then sent (one server, two windows)', async () => {
    const { port, shared } = await controlledServer();
    for (const [colorScheme, locale, tag] of [
      ['dark', 'en-US', 'dark'],
      ['light', 'ja-JP', 'ja'],
    ] as const) {
      const { client } = await controller(port, { query: `profile=remote-files-${tag}`, colorScheme, locale });
      await client.page.locator('[data-testid=remote-command][data-name=put-file] button').click();
      await client.byTestId('remote-put-input').setInputFiles({ name: `plan-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from('plan\n') });
      await waitForText(client.byTestId('remote-put-chosen'), new RegExp(`plan-${tag}`));
      await client.page.screenshot({ path: join(SCREENSHOTS, `remote-put-form-${tag}.png`) });
      await client.byTestId('remote-run').click();
      await waitForAttribute(client.byTestId('remote-run-output'), 'data-state', 'exited', 20_000);
      expect(readFileSync(join(shared, `plan-${tag}.txt`), 'utf8')).toBe('plan\n');
      // Worded in the window's language from main's data (not main's English sentence).
      const saved = tag === 'ja' ? `サーバーに plan-ja\\.txt として保存しました（5 バイト）` : `Saved on the server as plan-dark\\.txt: 5 bytes`;
      await waitForText(client.byTestId('remote-file'), new RegExp(saved));
      await client.page.screenshot({ path: join(SCREENSHOTS, `remote-put-file-${tag}.png`) });
    }
  }, 90_000);
});
