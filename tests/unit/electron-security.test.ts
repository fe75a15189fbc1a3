/** Electron's security checklist, one rule at a time, without an Electron binary. */
import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, hardenWebContents, type WebContentsLike } from '../../electron/main/security/harden.ts';
import {
  CONTENT_SECURITY_POLICY,
  devToolsAllowed,
  isAllowedExternalUrl,
  isTrustedRendererUrl,
  rendererOriginFor,
  secureWebPreferences,
} from '../../electron/main/security/policy.ts';

describe('window preferences', () => {
  it('context isolation and sandbox on, Node integration off everywhere, no <webview>', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('content security policy', () => {
  const directives = Object.fromEntries(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );

  it('denies everything not named, and allows scripts and styles only from the app itself', () => {
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
  });

  it('has no inline script, no eval and no remote source', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});

describe('opening links in the system browser', () => {
  it.each([
    ['https://learn.microsoft.com/en-us/windows/security/operating-system-security/network-security/windows-firewall/', true],
    ['http://learn.microsoft.com/', false],
    ['https://learn.microsoft.com.evil.example/', false],
    ['https://user:pw@learn.microsoft.com/', false],
    ['https://learn.microsoft.com:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['not a url', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});

describe('IPC sender check', () => {
  const built = { kind: 'app' } as const;
  it.each([
    ['app://msp/index.html', true],
    ['app://msp/index.html#log', true],
    ['app://msp/assets/evil.svg', false],
    ['app://evil/index.html', false],
    ['app://msp.evil/index.html', false],
    ['file:///opt/msp/resources/app/out/renderer/index.html', false],
    ['file:///tmp/evil.html', false],
    ['https://example.com/', false],
    ['http://localhost:5173/', false],
    ['', false],
    [undefined, false],
  ])('built app: %s -> %s', (url, trusted) => {
    expect(isTrustedRendererUrl(url, built)).toBe(trusted);
  });

  it('development: only the dev server origin', () => {
    const dev = { kind: 'dev-server', url: 'http://localhost:5173/' } as const;
    expect(isTrustedRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl('app://msp/index.html', dev)).toBe(false);
  });
});

describe('which renderer the window loads', () => {
  it('a packaged app ignores ELECTRON_RENDERER_URL, whatever it says', () => {
    for (const url of ['http://localhost:5173/', 'http://evil.example/', 'https://evil.example/', 'file:///tmp/evil.html']) {
      expect(rendererOriginFor(true, { ELECTRON_RENDERER_URL: url })).toEqual({ kind: 'app' });
    }
  });

  it('in development, the dev server on this machine', () => {
    for (const url of ['http://localhost:5173/', 'http://127.0.0.1:5173/', 'http://[::1]:5173/', 'https://localhost:5173/']) {
      expect(rendererOriginFor(false, { ELECTRON_RENDERER_URL: url })).toEqual({ kind: 'dev-server', url });
    }
  });

  it('even in development, no remote page, no other scheme, no credentials in the URL', () => {
    for (const url of [
      'http://evil.example/',
      'https://evil.example:5173/',
      'http://localhost.evil.example/',
      'http://192.168.1.10:5173/',
      'http://user:pw@localhost:5173/',
      'file:///tmp/evil.html',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(rendererOriginFor(false, { ELECTRON_RENDERER_URL: url })).toEqual({ kind: 'app' });
    }
  });

  it('without the variable, the built files', () => {
    expect(rendererOriginFor(false, {})).toEqual({ kind: 'app' });
    expect(rendererOriginFor(false, { ELECTRON_RENDERER_URL: '' })).toEqual({ kind: 'app' });
  });

  it('DevTools only in development', () => {
    expect(devToolsAllowed(true)).toBe(false);
    expect(devToolsAllowed(false)).toBe(true);
    expect(secureWebPreferences('/p.cjs').devTools).toBe(false);
  });
});

function fakeWebContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event: string, listener: (event: { preventDefault(): void }, url?: string) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  } as WebContentsLike;
  const fire = (name: string, url?: string) => {
    const event = { preventDefault: vi.fn() };
    listeners.get(name)!(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('navigation, new windows and permissions', () => {
  it('navigating away, redirects and <webview> are all prevented', () => {
    const { contents, fire } = fakeWebContents();
    hardenWebContents(contents, () => {});
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('window.open is always denied; an allow-listed https page goes to the system browser instead', () => {
    const opened: string[] = [];
    const { contents, open } = fakeWebContents();
    hardenWebContents(contents, (url) => opened.push(url));
    expect(open('https://learn.microsoft.com/windows/firewall')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('file:///C:/Windows/System32/cmd.exe')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://learn.microsoft.com/windows/firewall']);
  });

  it('every permission request and check is refused', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answer = vi.fn();
      request!({}, permission, answer);
      expect(answer).toHaveBeenCalledWith(false);
      expect(check!({}, permission)).toBe(false);
    }
  });
});
