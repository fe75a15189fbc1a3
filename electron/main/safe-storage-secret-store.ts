/**
 * Remembered passwords encrypted with Electron's safeStorage (the OS keychain, DPAPI or
 * libsecret), one file per name in the user data folder, apart from settings.json.
 * On Linux without a keyring safeStorage falls back to a hard-coded key ('basic_text'):
 * that protects nothing, so it counts as unavailable.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretName, SecretStore } from './app/secret-store.ts';

export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly folder: string) {}

  get available(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  async get(name: SecretName): Promise<string | undefined> {
    if (!this.available) return undefined;
    try {
      return safeStorage.decryptString(await readFile(this.file(name)));
    } catch {
      return undefined; // none remembered, or it cannot be decrypted any more (another OS user, a new keyring)
    }
  }

  async set(name: SecretName, secret: string): Promise<void> {
    if (!this.available) return;
    await mkdir(this.folder, { recursive: true });
    await writeFile(this.file(name), safeStorage.encryptString(secret), { mode: 0o600 });
  }

  async delete(name: SecretName): Promise<void> {
    await rm(this.file(name), { force: true });
  }

  async has(name: SecretName): Promise<boolean> {
    return (await this.get(name)) !== undefined;
  }

  private file(name: SecretName): string {
    return join(this.folder, `${name}-password.bin`);
  }
}
