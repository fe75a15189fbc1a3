/**
 * The Automation tool in Chromium: a rule built in the server window's table answers a
 * client window's DATA over real sockets; a rule that corrupts the ACK's CRC shows as a bad
 * frame in the client; a rules file imported, its refusal shown with the field. Screenshots
 * of the panel in light, dark and Japanese.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppPage, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite, type OpenAppOptions } from './helpers/guiSuite.ts';

const title = `Automation tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  // Its own build folder: the other GUI suites may be building at the same time.
  const suite = useGuiSuite('out/test-host-automation');

  async function serverAndClient(options: OpenAppOptions = {}): Promise<{ server: AppPage; client: AppPage }> {
    const server = await suite.openApp(options);
    const port = await server.startServer();
    const client = await suite.openApp();
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    return { server, client };
  }

  /** Builds a regex reply rule in the server window's table, as a person does, and applies it. */
  async function buildReplyRule(server: AppPage): Promise<void> {
    await server.byTestId('tool-automation').click();
    await server.byTestId('rule-add').click();
    const row = server.byTestId('rule-row').first();
    await row.getByTestId('rule-name').fill('temperature');
    await row.getByTestId('rule-match-kind').selectOption('regex');
    await row.getByTestId('rule-pattern').fill('T=(\\d+)');
    await row.getByTestId('rule-action-kind').selectOption('reply');
    await row.getByTestId('rule-template').fill('temperature {1} #{counter}');
    await server.byTestId('rules-apply').click();
    await waitForText(server.byTestId('rules-state'), /Applied\. Rules running on the link: 1\.|適用済み/);
  }

  it('a rule built in the table answers the client: the reply shows in the client log, the count in the table', async () => {
    const { server, client } = await serverAndClient();
    await buildReplyRule(server);
    await client.send('T=21');
    await client.row('temperature 21 #1').waitFor();
    expect(await client.row('temperature 21 #1').getAttribute('data-dir')).toBe('in');
    await waitForText(server.byTestId('rule-fired'), /Fired 1×/);
    await client.send('T=22');
    await client.row('temperature 22 #2').waitFor();
    await waitForText(server.byTestId('rule-fired'), /Fired 2×/);
    await server.page.screenshot({ path: join(SCREENSHOTS, 'automation-light.png') });
  });

  it('dark: the same table, screenshot', async () => {
    const dark = await serverAndClient({ colorScheme: 'dark' });
    await buildReplyRule(dark.server);
    await dark.client.send('T=5');
    await waitForText(dark.server.byTestId('rule-fired'), /Fired 1×/);
    await dark.server.page.screenshot({ path: join(SCREENSHOTS, 'automation-dark.png') });
  });

  it('Japanese: the same table, screenshot', async () => {
    const ja = await serverAndClient({ locale: 'ja-JP' });
    await buildReplyRule(ja.server);
    await ja.client.send('T=7');
    await waitForText(ja.server.byTestId('rule-fired'), /1 回動作/);
    expect(await ja.server.byTestId('rule-add').textContent()).toBe('ルールを追加');
    await ja.server.page.screenshot({ path: join(SCREENSHOTS, 'automation-ja-light.png') });
  });

  it('a rule that corrupts the ACK: the client log flags a bad frame with the CRC it should have had', async () => {
    const { server, client } = await serverAndClient();
    await server.byTestId('tool-automation').click();
    await server.byTestId('rule-add').click();
    const row = server.byTestId('rule-row').first();
    await row.getByTestId('rule-match-kind').selectOption('any');
    await row.getByTestId('rule-action-kind').selectOption('corrupt-crc');
    await server.byTestId('rules-apply').click();
    await waitForText(server.byTestId('rules-state'), /Applied\. Rules running on the link: 1\./);
    await client.send('bend my ACK');
    const bad = client.page.locator('[data-testid="log-row"][data-kind="bad-frame"]');
    await bad.waitFor();
    expect(await bad.getByTestId('crc-cell').textContent()).toBe('9B ≠ 9A');
  });

  it('import: a rules file fills the table and is applied; a bad one is refused naming the field', async () => {
    const { server, client } = await serverAndClient();
    await server.byTestId('tool-automation').click();
    const file = (rules: unknown) => ({ name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ version: 1, rules })) });
    await server.byTestId('rules-file').setInputFiles(
      file([
        { name: 'hex', match: { kind: 'hex', pattern: '01 02', mask: 'FF F0' }, action: { kind: 'reply', format: 'hex', template: 'CA FE {counter}' } },
        { name: 'split', match: { kind: 'contains', pattern: 'split' }, action: { kind: 'split-ack', parts: 3 } },
      ]),
    );
    await waitForText(server.byTestId('rules-state'), /Applied\. Rules running on the link: 2\./);
    expect(await server.byTestId('rule-row').count()).toBe(2);
    expect(await server.byTestId('rule-name').nth(1).inputValue()).toBe('split');
    await client.send('01 0F 99', 'hex');
    await client.row(/CA FE 01|cafe01|CAFE01/i).waitFor();

    await server.byTestId('rules-file').setInputFiles(file([{ match: { kind: 'regex', pattern: '(a)\\1' }, action: { kind: 'close' } }]));
    await waitForText(server.byTestId('rules-error'), /rules\[0\]\.match\.pattern|backreferences/);
  });
});
