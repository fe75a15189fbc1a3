/**
 * The renderer is served over app://msp/ instead of file:// (Electron's security checklist,
 * item 18): a page on file:// may read any file the user can, and every file:// page shares
 * one origin. The handler here serves only the files of the built renderer folder.
 * No Electron import: index.ts registers it, and tests call it directly.
 */
import { readFile } from 'node:fs/promises';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './policy.ts';
import { contentTypeFor, fileInsideRoot } from './inside-root.ts';

/**
 * For protocol.registerSchemesAsPrivileged, before the app is ready. standard: relative
 * URLs and an origin of its own (app://msp); secure: a secure context like https.
 * No bypassCSP, no CORS, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** The HTTP-header CSP adds what a meta tag cannot: no page may frame the app. */
const HEADERS = {
  'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** The protocol.handle('app', ...) handler: GET of a file inside `rendererDir`, nothing else. */
export function appProtocolHandler(rendererDir: string): (request: { url: string; method: string }) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET') return refuse(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'not found');
    // The URL parser folds "/../" and "/%2e%2e/" already; fileInsideRoot refuses what is left (%2f, %5c, NUL).
    const file = fileInsideRoot(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(403, 'forbidden');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return refuse(404, 'not found');
    }
    return new Response(new Uint8Array(body), { status: 200, headers: { ...HEADERS, 'content-type': contentTypeFor(file) } });
  };
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}
