/**
 * The browser tests' host is locked like the app: its WebSocket (a full backend that can
 * listen on 0.0.0.0) opens only with the host's own Origin and its random token, and its
 * files come only from inside the built renderer folder. Attacked with a raw `ws` client
 * and raw HTTP request paths, on a real socket on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestHost, type TestHost } from '../e2e/host/server.ts';
import { upgradeRefusal } from '../e2e/host/upgrade-check.ts';
import { decodeMessage, encodeMessage } from '../e2e/host/wire.ts';

let host: TestHost;
let origin: string;

beforeAll(async () => {
  // A stand-in build: the host only reads files, it does not care what they say.
  const base = mkdtempSync(join(tmpdir(), 'msp-host-lock-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<html><script type="module" src="./assets/app.js"></script></html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(base, 'secret.txt'), 'SECRET');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'SECRET');
  const bridgeFile = join(base, 'bridge.js');
  writeFileSync(bridgeFile, '// bridge');
  host = await startTestHost({ rendererDir, bridgeFile });
  origin = host.url.replace(/\/$/, '');
});

afterAll(async () => {
  await host?.close();
});

/** Opens a raw WebSocket; resolves 'open' or the HTTP status it was refused with. */
function tryOpen(query: string, headers: Record<string, string>): Promise<{ outcome: 'open'; socket: WebSocket } | { outcome: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/msp${query}`, { headers });
    socket.once('open', () => resolve({ outcome: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ outcome: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

describe('the test host WebSocket', () => {
  it('opens with the right Origin and token, and answers a request', async () => {
    const result = await tryOpen(`?token=${host.token}`, { origin });
    if (result.outcome !== 'open') throw new Error(`refused with ${result.outcome}`);
    const answer = new Promise<unknown>((resolve) => result.socket.once('message', (data) => resolve(decodeMessage(String(data)))));
    result.socket.send(encodeMessage({ id: 1, channel: 'app.init', arg: undefined }));
    expect(await answer).toMatchObject({ id: 1, result: { ok: true } });
    result.socket.close();
  });

  it.each([
    ['no token', '', () => origin],
    ['a wrong token', '?token=AAAA', () => origin],
    ['a token one character off', () => `?token=${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}`, () => origin],
    ['another site as Origin', () => `?token=${host.token}`, () => 'https://evil.example'],
    ['another port as Origin', () => `?token=${host.token}`, () => origin.replace(/:\d+$/, ':1')],
    ['a "null" Origin (file:// page)', () => `?token=${host.token}`, () => 'null'],
  ])('refuses %s with 403', async (_name, query, originHeader) => {
    const q = typeof query === 'function' ? query() : query;
    expect(await tryOpen(q, { origin: originHeader() })).toEqual({ outcome: 403 });
  });

  it('refuses the right token with no Origin at all (not a browser page)', async () => {
    expect(await tryOpen(`?token=${host.token}`, {})).toEqual({ outcome: 403 });
  });

  it('the check itself: path, origin, token', () => {
    const expected = { origin: 'http://127.0.0.1:5000', token: 'abc' };
    expect(upgradeRefusal({ url: '/msp?token=abc', headers: { origin: 'http://127.0.0.1:5000' } }, expected)).toBeUndefined();
    expect(upgradeRefusal({ url: '/other?token=abc', headers: { origin: 'http://127.0.0.1:5000' } }, expected)).toBe('no such path');
    expect(upgradeRefusal({ url: '/msp?token=abc', headers: { origin: 'http://localhost:5000' } }, expected)).toBe('wrong origin');
    expect(upgradeRefusal({ url: '/msp?token=abcd', headers: { origin: 'http://127.0.0.1:5000' } }, expected)).toBe('wrong token');
    expect(upgradeRefusal({ url: '/msp?token=', headers: { origin: 'http://127.0.0.1:5000' } }, expected)).toBe('wrong token');
  });

  it('a new host has a new 256-bit token, given to the page only in the URL fragment', () => {
    expect(host.token).toMatch(/^[\w-]{43}$/);
    expect(host.pageUrl('profile=a')).toBe(`${origin}/?profile=a#msp-token=${host.token}`);
  });
});

/** GET with the path sent exactly as written (no client-side normalising). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${origin}/`, { path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the test host static files', () => {
  it('serves the page (without the token in it) and the built files', async () => {
    const page = await rawGet('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('msp-bridge.js');
    expect(page.body).not.toContain(host.token);
    expect((await rawGet('/assets/app.js')).status).toBe(200);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/../renderer-evil/x.js',
    '/%2e%2e%2frenderer-evil%2fx.js',
    '//etc/passwd',
    '/index.html%00',
  ])('never serves %s from outside the folder', async (path) => {
    const response = await rawGet(path);
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('SECRET');
  });
});
