/** App lifecycle and the window. Everything else is plain Node (app/, link/) or in ipc/ and security/. */
import { join } from 'node:path';
import { app, BrowserWindow, nativeTheme, session, shell } from 'electron';
import { AppBackend } from './app/backend.ts';
import { SafeStorageSecretStore } from './safe-storage-secret-store.ts';
import { requestHandlers } from './ipc/handlers.ts';
import { electronServices, registerIpc } from './ipc/index.ts';
import { createRequestRouter } from './ipc/router.ts';
import { denyAllPermissions, hardenWebContents } from './security/harden.ts';
import { isAllowedExternalUrl, isTrustedRendererUrl, secureWebPreferences, type RendererOrigin } from './security/policy.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererOrigin: RendererOrigin = devServerUrl ? { kind: 'dev-server', url: devServerUrl } : { kind: 'file', path: rendererFile };

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
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererFile);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, (url) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  });
});

void app.whenReady().then(() => {
  denyAllPermissions(session.defaultSession);
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
