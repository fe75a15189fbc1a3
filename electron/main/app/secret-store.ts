/**
 * Where remembered passwords live. The backend only sees this interface: the app gives it
 * an Electron safeStorage store (electron/main/safe-storage-secret-store.ts, the one file
 * that may import electron for it), the test host and tests an in-memory one. A store
 * whose encryption is unavailable says so and keeps nothing.
 */
export type SecretName = 'client' | 'server';

export interface SecretStore {
  /** false: the OS cannot encrypt for us, so nothing may be remembered. */
  readonly available: boolean;
  get(name: SecretName): Promise<string | undefined>;
  set(name: SecretName, secret: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
  has(name: SecretName): Promise<boolean>;
}

/** Keeps secrets in this process only: for the test host, tests and builds without safeStorage. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<SecretName, string>();

  constructor(readonly available = true) {}

  async get(name: SecretName): Promise<string | undefined> {
    return this.secrets.get(name);
  }

  async set(name: SecretName, secret: string): Promise<void> {
    if (this.available) this.secrets.set(name, secret);
  }

  async delete(name: SecretName): Promise<void> {
    this.secrets.delete(name);
  }

  async has(name: SecretName): Promise<boolean> {
    return this.secrets.has(name);
  }
}
