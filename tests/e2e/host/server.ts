/**
 * The test host: serves the built renderer over http on 127.0.0.1 and implements the
 * `window.msp` contract over a WebSocket, backed by the same plain-Node AppBackend and
 * request router the Electron app uses. Each page (each WebSocket) gets its own backend,
 * so one page can be the server and another the client. Only the preload hop is replaced.
 *
 * Page query: ?profile=NAME keeps settings in <profilesDir>/NAME/settings.json (reload the
 * page and they are still there); ?platform=win32 makes the renderer believe it runs on Windows.
 *
 * Locked down like the app (upgrade-check.ts): a WebSocket opens only from this host's own
 * origin with its random token, and files are served only from inside the built renderer folder.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppBackend } from '../../../electron/main/app/backend.ts';
import { requestHandlers, type PlatformServices } from '../../../electron/main/ipc/handlers.ts';
import { createRequestRouter } from '../../../electron/main/ipc/router.ts';
import { contentTypeFor, fileInsideRoot } from '../../../electron/main/security/inside-root.ts';
import { isAllowedExternalUrl } from '../../../electron/main/security/policy.ts';
import { appError, fail, ok } from '../../../shared/result.ts';
import type { TestBuild } from './build.ts';
import { newHostToken, upgradeRefusal } from './upgrade-check.ts';
import { decodeMessage, encodeMessage, TOKEN_FRAGMENT_KEY, type ClientMessage } from './wire.ts';

export interface TestHost {
  /** The host's origin with a trailing slash; a page opened here without the token cannot reach the backend. */
  url: string;
  /** The page's address: `url`, the query, and the token in the fragment. */
  pageUrl(query?: string): string;
  /** What a WebSocket must bring (tests of the lock itself use it). */
  token: string;
  /** Texts the pages copied, newest last (the host's stand-in for the clipboard). */
  copied: string[];
  /** URLs the pages asked to open in the system browser. */
  opened: string[];
  profilesDir: string;
  close(): Promise<void>;
}

export async function startTestHost(build: TestBuild, options: { profilesDir?: string } = {}): Promise<TestHost> {
  const profilesDir = options.profilesDir ?? mkdtempSync(join(tmpdir(), 'msp-test-host-'));
  const copied: string[] = [];
  const opened: string[] = [];
  const backends = new Set<AppBackend>();
  const token = newHostToken();
  // The built page, with the bridge loaded first: it defines window.msp as the preload would.
  const indexHtml = readFileSync(join(build.rendererDir, 'index.html'), 'utf8').replace(
    '<script type="module"',
    '<script src="./msp-bridge.js"></script>\n    <script type="module"',
  );

  const http = createServer((request, response) => void serveFile(request, response));
  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (path === '/' || path === '/index.html') return send(response, 200, contentTypeFor('index.html'), indexHtml);
    if (path === '/msp-bridge.js') return send(response, 200, contentTypeFor('.js'), await readFile(build.bridgeFile));
    // The raw request path, not the URL parser's folded one: a raw "/../" is refused, not rewritten.
    const file = fileInsideRoot(build.rendererDir, (request.url ?? '/').split(/[?#]/)[0]);
    if (!file) return send(response, 403, 'text/plain', 'forbidden');
    try {
      send(response, 200, contentTypeFor(file), await readFile(file));
    } catch {
      send(response, 404, 'text/plain', 'not found');
    }
  }

  let origin = ''; // known once listening
  const sockets = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request, socket, head) => {
    if (upgradeRefusal(request, { origin, token })) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });
  sockets.on('connection', (socket: WebSocket, request) => {
    const query = new URL(request.url ?? '/', 'http://host').searchParams;
    const profile = (query.get('profile') ?? `page-${Math.random().toString(36).slice(2)}`).replace(/[^\w-]/g, '');
    mkdirSync(join(profilesDir, profile), { recursive: true });
    const emit = (name: string, payload: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(encodeMessage({ event: name, payload }));
    };
    const backend = new AppBackend({
      settingsFile: join(profilesDir, profile, 'settings.json'),
      platform: query.get('platform') ?? process.platform,
      appVersion: 'test-host',
      emit: (message) => emit(message.name, message.payload),
    });
    backends.add(backend);
    const services: PlatformServices = {
      async copyText(text) {
        copied.push(text);
        return ok(null);
      },
      async openExternal(url) {
        if (!isAllowedExternalUrl(url)) return fail(appError('APP_ERR_URL_NOT_ALLOWED', `The app does not open ${url}.`));
        opened.push(url);
        return ok(null);
      },
    };
    const route = createRequestRouter(requestHandlers(backend, services));
    socket.on('message', async (data) => {
      let message: ClientMessage;
      try {
        message = decodeMessage<ClientMessage>(String(data));
      } catch {
        return; // not JSON: not from our bridge
      }
      const result = await route(message.channel, message.arg);
      if (socket.readyState === socket.OPEN) socket.send(encodeMessage({ id: message.id, result }));
    });
    socket.on('close', () => {
      backends.delete(backend);
      void backend.dispose();
    });
  });

  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    pageUrl: (query) => `${origin}/${query ? `?${query}` : ''}#${TOKEN_FRAGMENT_KEY}=${token}`,
    token,
    copied,
    opened,
    profilesDir,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await Promise.all([...backends].map((b) => b.dispose()));
      await new Promise<void>((done) => sockets.close(() => done()));
      http.closeAllConnections(); // the browser's keep-alive connections would hold close() open
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}
