/**
 * The Remote tool in a real browser (see gui.test.ts): one app window is the controlled side
 * (a commands file chosen in the panel, a server with a password), others are controllers that
 * list its commands, run one from the form and see its output and exit code. A confirm-first
 * command is asked of the server window's user; a plaintext client is told why before it tries.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppPage, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite, type OpenAppOptions } from './helpers/guiSuite.ts';

const PASSWORD = 'remote-gui-password';
const title = `the Remote tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

function commandsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'msp-remote-gui-'));
  const file = join(dir, 'remote-commands.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      commands: [
        {
          name: 'echo',
          description: 'Prints the text back.',
          argv: ['echo', '{text}'],
          params: [{ name: 'text', description: 'What to print.', type: 'string', pattern: '[A-Za-z0-9 .,!?-]*', maxLength: 200 }],
          timeoutSeconds: 5,
          maxOutputBytes: 4096,
        },
        { name: 'greet', description: 'Says hello, once the server\'s user allows it.', argv: ['echo', 'hello from the server'], confirm: true },
        {
          name: 'count',
          description: 'Counts to n, on stdout and stderr.',
          argv: ['sh', '-c', 'seq "$1"; echo done >&2', 'sh', '{n}'],
          params: [{ name: 'n', type: 'integer', min: 1, max: 20 }],
        },
      ],
      builtins: { systemInfo: true },
    }),
  );
  return file;
}

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  const suite = useGuiSuite('out/test-host-remote');

  async function controlledServer(): Promise<{ server: AppPage; port: number }> {
    const server = await suite.openApp({ query: 'profile=remote-server' });
    await server.byTestId('mode').getByRole('radio', { name: /server/i }).click();
    await server.byTestId('tool-remote').click();
    await server.byTestId('remote-file').fill(commandsFile());
    await server.byTestId('remote-use').click();
    await waitForText(server.byTestId('remote-offering'), /Offering 4 commands: system-info, echo, greet, count/);
    await server.byTestId('tool-connection').click();
    await server.byTestId('password').fill(PASSWORD);
    await server.byTestId('allow-legacy').uncheck();
    const port = await server.startServer();
    return { server, port };
  }

  async function controller(port: number, options: OpenAppOptions, password: string | null = PASSWORD): Promise<AppPage> {
    const client = await suite.openApp(options);
    if (password !== null) await client.byTestId('password').fill(password);
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    if (password !== null) await waitForAttribute(client.byTestId('status-lock'), 'data-lock', 'v3');
    await client.byTestId('tool-remote').click();
    return client;
  }

  async function runEcho(client: AppPage, text: string): Promise<void> {
    await client.page.locator('[data-testid=remote-command][data-name=echo] button').click();
    await client.byTestId('remote-param-text').fill(text);
    await client.byTestId('remote-run').click();
    await waitForAttribute(client.byTestId('remote-run-output'), 'data-state', 'exited');
  }

  it('a client lists the server\'s commands, runs echo from the form and sees its output and exit code; the server shows who is in control and revokes', async () => {
    const { server, port } = await controlledServer();
    const client = await controller(port, { query: 'profile=remote-client' });
    await waitForText(client.byTestId('remote-commands'), /echo/);
    const names = await client.page.locator('[data-testid=remote-command]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(names).toEqual(['system-info', 'echo', 'greet', 'count']);
    await expect(client.page.locator('[data-testid=remote-command][data-name=echo]').textContent()).resolves.toMatch(/Prints the text back\./);

    await runEcho(client, 'Hello from the GUI');
    expect(await client.byTestId('remote-output').textContent()).toBe('Hello from the GUI\n');
    expect(await client.byTestId('remote-exit').getAttribute('data-code')).toBe('0');
    await waitForText(client.byTestId('remote-exit'), /Exit code 0/);

    // Stdout and stderr, streamed in order; stderr is marked.
    await client.page.locator('[data-testid=remote-command][data-name=count] button').click();
    await client.byTestId('remote-param-n').fill('3');
    await client.byTestId('remote-run').click();
    await waitForAttribute(client.byTestId('remote-run-output'), 'data-state', 'exited');
    expect(await client.byTestId('remote-output').textContent()).toBe('1\n2\n3\ndone\n');
    expect(await client.byTestId('remote-output').locator('.remote-stderr').textContent()).toBe('done\n');

    // A bad argument is refused by the server, with its reason.
    await runEchoRefused(client, 'rm -rf /; echo $(id)');

    // The controlled side: "Remote control active" with the peer; a confirm-first command asks its user.
    await server.byTestId('tool-remote').click();
    await waitForText(server.byTestId('remote-active'), /Remote control active/);
    await client.page.locator('[data-testid=remote-command][data-name=greet] button').click();
    await client.byTestId('remote-run').click();
    await waitForText(server.byTestId('remote-confirm'), /asks to run greet/);
    await waitForText(server.byTestId('tool-remote'), /!/);
    await server.page.screenshot({ path: join(SCREENSHOTS, 'remote-server-confirm.png') });
    await server.byTestId('remote-allow').click();
    await waitForAttribute(client.byTestId('remote-run-output'), 'data-state', 'exited');
    expect(await client.byTestId('remote-output').textContent()).toBe('hello from the server\n');
    await client.page.screenshot({ path: join(SCREENSHOTS, 'remote-client-light.png') });
    await server.page.screenshot({ path: join(SCREENSHOTS, 'remote-server-active.png') });

    // One click revokes: the next run is refused, saying so.
    await server.byTestId('remote-revoke').click();
    await runEchoRefused(client, 'again', /revoked/);
  }, 90_000);

  async function runEchoRefused(client: AppPage, text: string, why: RegExp = /does not match the allowed pattern/): Promise<void> {
    await client.page.locator('[data-testid=remote-command][data-name=echo] button').click();
    await client.byTestId('remote-param-text').fill(text);
    await client.byTestId('remote-run').click();
    await waitForText(client.byTestId('remote-refused'), why);
  }

  it('dark and Japanese: the same run; a plaintext client is told why before it tries', async () => {
    const { port } = await controlledServer();
    const dark = await controller(port, { query: 'profile=remote-dark', colorScheme: 'dark' });
    await runEcho(dark, 'Dark mode works');
    expect(await dark.byTestId('remote-output').textContent()).toBe('Dark mode works\n');
    await dark.page.screenshot({ path: join(SCREENSHOTS, 'remote-client-dark.png') });

    const ja = await controller(port, { query: 'profile=remote-ja', locale: 'ja-JP' });
    await runEcho(ja, 'Konnichiwa');
    await waitForText(ja.byTestId('remote-exit'), /終了コード 0/);
    await ja.page.screenshot({ path: join(SCREENSHOTS, 'remote-client-ja.png') });

    const plain = await controller(port, { query: 'profile=remote-plain' }, null);
    await waitForText(plain.byTestId('remote-needs-auth'), /Remote control needs a password/);
    expect(await plain.page.locator('[data-testid=remote-command]').count()).toBe(0);
    await plain.page.screenshot({ path: join(SCREENSHOTS, 'remote-client-plaintext.png') });
  }, 90_000);
});
