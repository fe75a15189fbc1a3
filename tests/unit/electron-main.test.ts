/**
 * The main process's wiring, with the 'electron' module replaced by stand-ins (there is
 * no Electron binary here): the window gets the secure preferences, every web contents is
 * hardened, permissions are denied, and IPC refuses other senders and bad arguments.
 * It runs as a packaged app with an attacker's ELECTRON_RENDERER_URL set: the window must
 * still load its own files over app://.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../shared/ipc/contract.ts';

const fake = vi.hoisted(() => {
  type Listener = (...args: any[]) => unknown;
  const appListeners = new Map<string, Listener>();
  const ipcHandlers = new Map<string, Listener>();
  const windows: Array<{ options: any; loaded?: string }> = [];
  const permissionHandlers: { request?: Listener; check?: Listener } = {};
  const protocol = { privileged: [] as unknown[], handled: new Map<string, Listener>(), readyWhenRegistered: true };
  return {
    protocol,
    ready: false,
    appListeners,
    ipcHandlers,
    windows,
    permissionHandlers,
    userData: '',
    clipboard: [] as string[],
    opened: [] as string[],
  };
});

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => fake.windows;
    webContents = { send: vi.fn() };
    constructor(options: unknown) {
      fake.windows.push({ options });
    }
    once() {}
    on() {}
    isDestroyed() {
      return false;
    }
    loadFile(path: string) {
      fake.windows.at(-1)!.loaded = path;
      return Promise.resolve();
    }
    loadURL(url: string) {
      fake.windows.at(-1)!.loaded = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      isPackaged: true,
      whenReady: () => Promise.resolve().then(() => void (fake.ready = true)),
      on: (event: string, listener: (...args: any[]) => unknown) => fake.appListeners.set(event, listener),
      getPath: () => fake.userData,
      getVersion: () => '0.1.0',
      quit: vi.fn(),
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        fake.protocol.readyWhenRegistered = fake.ready;
        fake.protocol.privileged.push(...schemes);
      },
      handle: (scheme: string, handler: any) => fake.protocol.handled.set(scheme, handler),
    },
    nativeTheme: { shouldUseDarkColors: false },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: any) => (fake.permissionHandlers.request = h),
        setPermissionCheckHandler: (h: any) => (fake.permissionHandlers.check = h),
      },
    },
    ipcMain: {
      handle: (channel: string, handler: any) => fake.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
    shell: { openExternal: async (url: string) => void fake.opened.push(url) },
    clipboard: { writeText: (text: string) => void fake.clipboard.push(text) },
    // No keyring here: nothing may be remembered.
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
  };
});

const fromRenderer = { senderFrame: { url: 'app://msp/index.html' } };
const invoke = (channel: string, arg?: unknown, event: unknown = fromRenderer) => fake.ipcHandlers.get(channel)!(event, arg);

beforeAll(async () => {
  fake.userData = mkdtempSync(join(tmpdir(), 'msp-userdata-'));
  process.env.ELECTRON_RENDERER_URL = 'http://evil.example/';
  await import('../../electron/main/index.ts');
  await new Promise((r) => setTimeout(r, 0)); // app.whenReady().then(...)
});

afterAll(async () => {
  delete process.env.ELECTRON_RENDERER_URL;
  await fake.appListeners.get('before-quit')?.();
});

describe('Electron main process', () => {
  it('opens one window with the secure preferences and the sandboxed preload', () => {
    expect(fake.windows).toHaveLength(1);
    const { webPreferences } = fake.windows[0].options;
    expect(webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(webPreferences.preload).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('a packaged app loads its own files over app://, ignoring ELECTRON_RENDERER_URL, with no DevTools', () => {
    expect(fake.windows[0].loaded).toBe('app://msp/index.html');
    expect(fake.windows[0].options.webPreferences.devTools).toBe(false);
  });

  it('registers app:// as privileged before ready, and serves it once ready', async () => {
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fake.protocol.readyWhenRegistered).toBe(false);
    const handler = fake.protocol.handled.get('app')!;
    const response = (await handler({ url: 'app://msp/../../package.json', method: 'GET' })) as Response;
    expect(response.status).not.toBe(200);
  });

  it('hardens every web contents that gets created', () => {
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    fake.appListeners.get('web-contents-created')!({}, contents);
    expect(contents.on.mock.calls.map(([name]) => name)).toEqual(['will-navigate', 'will-redirect', 'will-attach-webview']);
    const openHandler = contents.setWindowOpenHandler.mock.calls[0][0];
    expect(openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('refuses every permission request', () => {
    const answer = vi.fn();
    fake.permissionHandlers.request!({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(fake.permissionHandlers.check!({}, 'clipboard-read')).toBe(false);
  });

  it('registers every request channel, and nothing else', () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...REQUEST_NAMES].sort());
  });

  it('answers our renderer, with settings from the user data folder', async () => {
    const result = await invoke('app.init');
    expect(result).toMatchObject({ ok: true, value: { status: { state: 'idle' }, info: { version: '0.1.0' } } });
    expect(await invoke('settings.save', { mode: 'server' })).toMatchObject({ ok: true });
  });

  it('refuses a request from any other frame, before looking at it', async () => {
    for (const url of ['https://evil.example/', 'http://evil.example/', 'file:///tmp/index.html', 'app://evil/index.html', undefined]) {
      expect(await invoke('link.open', { mode: 'server', bind: '0.0.0.0', port: 0 }, { senderFrame: url ? { url } : null })).toMatchObject({
        ok: false,
        error: { code: 'IPC_ERR_UNTRUSTED_SENDER' },
      });
    }
  });

  it('refuses a bad argument from our own renderer', async () => {
    expect(await invoke('server.disconnect', { clientId: -1 })).toMatchObject({ ok: false, error: { code: 'IPC_ERR_BAD_ARGUMENT' } });
  });

  it('copies through the main process clipboard and opens only allow-listed https pages', async () => {
    expect(await invoke('app.copyText', { text: '0xAA, 0x55' })).toEqual({ ok: true, value: null });
    expect(fake.clipboard).toEqual(['0xAA, 0x55']);
    expect(await invoke('app.openExternal', { url: 'https://evil.example/' })).toMatchObject({
      ok: false,
      error: { code: 'APP_ERR_URL_NOT_ALLOWED' },
    });
    expect(await invoke('app.openExternal', { url: 'https://learn.microsoft.com/windows' })).toEqual({ ok: true, value: null });
    expect(fake.opened).toEqual(['https://learn.microsoft.com/windows']);
  });
});
