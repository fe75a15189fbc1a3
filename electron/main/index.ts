/** App lifecycle and the window. Everything else is plain Node (app/, link/) or in ipc/ and security/. */
import { join } from 'node:path';
import { app, BrowserWindow, nativeTheme, protocol, session, shell } from 'electron';
import { AppBackend } from './app/backend.ts';
import { SafeStorageSecretStore } from './safe-storage-secret-store.ts';
import { requestHandlers } from './ipc/handlers.ts';
import { electronServices, registerIpc } from './ipc/index.ts';
import { createRequestRouter } from './ipc/router.ts';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './security/app-protocol.ts';
import { denyAllPermissions, hardenWebContents } from './security/harden.ts';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  devToolsAllowed,
  isAllowedExternalUrl,
  isTrustedRendererUrl,
  rendererOriginFor,
  secureWebPreferences,
} from './security/policy.ts';

// A packaged app ignores ELECTRON_RENDERER_URL and has no DevTools (policy.ts says why).
const rendererOrigin = rendererOriginFor(app.isPackaged, process.env);
const rendererUrl = rendererOrigin.kind === 'dev-server' ? rendererOrigin.url : APP_INDEX_URL;
const rendererDir = join(import.meta.dirname, '../renderer');

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let mainWindow: BrowserWindow | undefined;
let backend: AppBackend | undefined;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 980,
    minHeight: 620,
    title: 'MSP Workbench',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f6f7f9',
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs'), devToolsAllowed(app.isPackaged)),
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadURL(rendererUrl);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, (url) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  });
});

void app.whenReady().then(() => {
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir));
  backend = new AppBackend({
    settingsFile: join(app.getPath('userData'), 'settings.json'),
    platform: process.platform,
    appVersion: app.getVersion(),
    emit: ({ name, payload }) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(name, payload);
    },
    secrets: new SafeStorageSecretStore(app.getPath('userData')),
  });
  registerIpc(createRequestRouter(requestHandlers(backend, electronServices)), (url) =>
    isTrustedRendererUrl(url, rendererOrigin),
  );
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  void backend?.dispose();
});
