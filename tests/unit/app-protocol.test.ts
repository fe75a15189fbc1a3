/**
 * The app:// protocol serves the built renderer folder and nothing else. The path check is
 * attacked with the usual escapes; the handler is called as Electron calls it, on real files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from '../../electron/main/security/app-protocol.ts';
import { contentTypeFor, fileInsideRoot } from '../../electron/main/security/inside-root.ts';

describe('fileInsideRoot (POSIX)', () => {
  const root = '/opt/msp/renderer';
  it.each([
    ['/index.html', '/opt/msp/renderer/index.html'],
    ['/assets/index-1a2b.js', '/opt/msp/renderer/assets/index-1a2b.js'],
    ['/assets/a%20b.css', '/opt/msp/renderer/assets/a b.css'],
    ['/assets/../index.html', '/opt/msp/renderer/index.html'],
  ])('%s -> %s', (urlPath, file) => {
    expect(fileInsideRoot(root, urlPath, path.posix)).toBe(file);
  });

  it.each([
    '/../secret.txt',
    '/..',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets%2F..%2F..%2Fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '//etc/passwd',
    '/%2fetc/passwd',
    '/C:/Windows/win.ini',
    '/index.html%00.png',
    '/index.html\0',
    '/%E0%A4%A', // a broken escape
    '/',
    '',
    '/../renderer-evil/x.js', // a sibling folder whose name starts like the root
  ])('refuses %j', (urlPath) => {
    expect(fileInsideRoot(root, urlPath, path.posix)).toBeUndefined();
  });
});

describe('fileInsideRoot (Windows rules)', () => {
  const root = 'C:\\Program Files\\MSP Workbench\\resources\\app.asar\\out\\renderer';
  it('a file inside', () => {
    expect(fileInsideRoot(root, '/assets/index.js', path.win32)).toBe(`${root}\\assets\\index.js`);
  });
  it.each(['/..%5C..%5Csecret.txt', '/C:/Windows/win.ini', '/c:%5cWindows', '//server/share/x', '/%2e%2e/x', '/D:x'])(
    'refuses %j',
    (urlPath) => {
      expect(fileInsideRoot(root, urlPath, path.win32)).toBeUndefined();
    },
  );
});

describe('content types', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.CSS', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.woff2', 'font/woff2'],
    ['a.exe', 'application/octet-stream'],
    ['noext', 'application/octet-stream'],
  ])('%s -> %s', (file, type) => expect(contentTypeFor(file)).toBe(type));
});

describe('the app:// handler', () => {
  let handle: ReturnType<typeof appProtocolHandler>;
  const get = (url: string) => handle({ url, method: 'GET' });

  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'msp-app-protocol-'));
    const renderer = join(base, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>MSP</title>');
    writeFileSync(join(renderer, 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'SECRET');
    mkdirSync(join(base, 'renderer-evil'));
    writeFileSync(join(base, 'renderer-evil', 'x.js'), 'SECRET');
    handle = appProtocolHandler(renderer);
  });

  it('is registered standard and secure, with no CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('serves the page and its scripts with their content types and the CSP header', async () => {
    const page = await get('app://msp/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>MSP</title>');
    const script = await get('app://msp/assets/index.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://msp/')).status).toBe(200);
  });

  it.each([
    'app://msp/../secret.txt',
    'app://msp/%2e%2e/secret.txt',
    'app://msp/..%2fsecret.txt',
    'app://msp/..%5csecret.txt',
    'app://msp/%2e%2e%5crenderer-evil%5cx.js',
    'app://msp/index.html%00',
    'app://msp//etc/passwd',
    'app://msp/assets/missing.js',
    'app://other/index.html',
  ])('never answers %s with a file from outside', async (url) => {
    const response = await get(url);
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain('SECRET');
  });

  it('refuses anything but GET', async () => {
    expect((await handle({ url: 'app://msp/index.html', method: 'POST' })).status).toBe(405);
  });
});
