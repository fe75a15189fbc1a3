/**
 * The app's security rules as plain data and predicates (Electron's security checklist),
 * so each one can be tested without Electron. harden.ts applies them to Electron objects.
 */

// The CSP lives in shared/ because the renderer's build (renderer/renderer.config.ts) puts it in the page.
export { CONTENT_SECURITY_POLICY } from '../../../shared/security/csp.ts';

/** The window's webPreferences: the renderer gets no Node and runs sandboxed in its own world. */
export function secureWebPreferences(preload: string) {
  return {
    preload,
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
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    (EXTERNAL_HOSTS as readonly string[]).includes(parsed.hostname)
  );
}

/** Where the renderer is loaded from: the built index.html, or the dev server while developing. */
export type RendererOrigin = { kind: 'file'; path: string } | { kind: 'dev-server'; url: string };

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
  if (parsed.protocol !== 'file:') return false;
  return decodeURIComponent(parsed.pathname) === toUrlPath(origin.path);
}

/** A file path as it appears in a file: URL's pathname ("C:\\app\\index.html" -> "/C:/app/index.html"). */
function toUrlPath(path: string): string {
  const slashed = path.replaceAll('\\', '/');
  return slashed.startsWith('/') ? slashed : `/${slashed}`;
}
