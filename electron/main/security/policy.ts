/**
 * The app's security rules as plain data and predicates (Electron's security checklist),
 * so each one can be tested without Electron. harden.ts applies them to Electron objects.
 */

// The CSP lives in shared/ because the renderer's build (renderer/renderer.config.ts) puts it in the page.
export { CONTENT_SECURITY_POLICY } from '../../../shared/security/csp.ts';

/** The window's webPreferences: the renderer gets no Node and runs sandboxed in its own world. */
export function secureWebPreferences(preload: string, devTools = false) {
  return {
    preload,
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
  } as const;
}

/** The only sites the app may open in the system browser (the Windows firewall help page). */
export const EXTERNAL_HOSTS = ['learn.microsoft.com', 'support.microsoft.com'] as const;

export function isAllowedExternalUrl(url: string): boolean {
  const parsed = urlWithoutCredentials(url);
  return parsed !== undefined && parsed.protocol === 'https:' && parsed.port === '' && (EXTERNAL_HOSTS as readonly string[]).includes(parsed.hostname);
}

/** The URL, when it parses and carries no user name or password (which could hide the real host). */
function urlWithoutCredentials(url: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.username === '' && parsed.password === '' ? parsed : undefined;
}

/** The renderer's own scheme and host (app-protocol.ts serves it): its origin is app://msp. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'msp';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Where the renderer is loaded from: the built files over app://msp/, or the dev server while developing. */
export type RendererOrigin = { kind: 'app' } | { kind: 'dev-server'; url: string };

/**
 * Which renderer to load. A packaged app always loads its own built files: ELECTRON_RENDERER_URL
 * (set by `electron-vite dev`) is for developing only, else anyone who can set an environment
 * variable could load any page with the window's IPC trust. Even in development only a dev
 * server on this machine (http(s) on a loopback address) is accepted.
 */
export function rendererOriginFor(isPackaged: boolean, env: Record<string, string | undefined>): RendererOrigin {
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !devUrl || !isLoopbackDevServer(devUrl)) return { kind: 'app' };
  return { kind: 'dev-server', url: devUrl };
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

function isLoopbackDevServer(url: string): boolean {
  const parsed = urlWithoutCredentials(url);
  return parsed !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && LOOPBACK_HOSTS.includes(parsed.hostname);
}

/** DevTools only while developing: a packaged app's user gets no console into the renderer. */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}

/** True only for a frame showing our own renderer: IPC from anything else is refused. */
export function isTrustedRendererUrl(frameUrl: string | undefined, origin: RendererOrigin): boolean {
  if (!frameUrl) return false;
  let parsed: URL;
  try {
    parsed = new URL(frameUrl);
  } catch {
    return false;
  }
  if (origin.kind === 'dev-server') return parsed.origin === new URL(origin.url).origin;
  // app: is not a scheme Node's URL knows, so its origin reads "null": compare the parts.
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.pathname === '/index.html';
}
