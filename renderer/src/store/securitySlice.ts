/**
 * The connection panel's security choices being edited, and whether main remembers a
 * password. A typed password lives only here (in memory) and in the `link.open` request;
 * it is never saved to settings and never comes back from main.
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { ClientSecurityInput, PasswordChoice, SecretsInfo, ServerSecurityInput } from '../../../shared/ipc/security.ts';
import type { TcpMode } from './linkSlice.ts';
import type { Slice } from './types.ts';

export interface ClientSecurityDraft {
  password: string;
  remember: boolean;
  scheme: 'v3' | 'legacy';
  tls: boolean;
  /** Empty: trust the system's certificate store. */
  fingerprint: string;
}

export interface ServerSecurityDraft {
  password: string;
  remember: boolean;
  allowLegacy: boolean;
  tls: boolean;
}

export interface SecuritySlice {
  clientSecurity: ClientSecurityDraft;
  serverSecurity: ServerSecurityDraft;
  secrets: SecretsInfo;
  setClientSecurity(patch: Partial<ClientSecurityDraft>): void;
  setServerSecurity(patch: Partial<ServerSecurityDraft>): void;
  forgetPassword(mode: TcpMode): Promise<void>;
  /** After a link opened: what main now remembers follows from the choice just sent. */
  notePasswordUsed(mode: TcpMode): void;
}

/** A typed password wins; an empty field uses the remembered one, if any; else no password. */
function passwordChoice(typed: string, remember: boolean, remembered: boolean): PasswordChoice {
  if (typed !== '') return { source: 'typed', value: typed, remember };
  return remembered ? { source: 'remembered' } : { source: 'none' };
}

/** The client's security for `link.open`; undefined for a plain link (no password, no TLS). */
export function clientSecurityRequest(draft: ClientSecurityDraft, secrets: SecretsInfo): ClientSecurityInput | undefined {
  const fingerprint = draft.fingerprint.trim();
  const password = passwordChoice(draft.password, draft.remember, secrets.remembered.client);
  if (password.source === 'none' && !draft.tls) return undefined;
  return {
    password,
    scheme: draft.scheme,
    ...(draft.tls ? { tls: fingerprint ? { fingerprint } : {} } : {}),
  };
}

/** The server's security for `link.open`; undefined for a plain server. */
export function serverSecurityRequest(draft: ServerSecurityDraft, secrets: SecretsInfo): ServerSecurityInput | undefined {
  const password = passwordChoice(draft.password, draft.remember, secrets.remembered.server);
  if (password.source === 'none' && !draft.tls) return undefined;
  return {
    password,
    allowLegacy: draft.allowLegacy,
    tls: draft.tls,
  };
}

/** Whether the panel has a password to use (typed, or remembered). */
export function hasPassword(mode: TcpMode, state: Pick<SecuritySlice, 'clientSecurity' | 'serverSecurity' | 'secrets'>): boolean {
  const typed = mode === 'client' ? state.clientSecurity.password : state.serverSecurity.password;
  return typed !== '' || state.secrets.remembered[mode];
}

export const createSecuritySlice =
  (api: MspApi): Slice<SecuritySlice> =>
  (set, get) => ({
    clientSecurity: { password: '', remember: false, scheme: 'v3', tls: false, fingerprint: '' },
    serverSecurity: { password: '', remember: false, allowLegacy: false, tls: false },
    secrets: { available: false, remembered: { client: false, server: false } },

    setClientSecurity(patch) {
      set({ clientSecurity: { ...get().clientSecurity, ...patch }, linkRequestError: null });
    },

    setServerSecurity(patch) {
      set({ serverSecurity: { ...get().serverSecurity, ...patch }, linkRequestError: null });
    },

    async forgetPassword(mode) {
      const result = await api.secrets.forget({ mode });
      if (result.ok) set({ secrets: result.value });
    },

    notePasswordUsed(mode) {
      const { secrets } = get();
      const draft = mode === 'client' ? get().clientSecurity : get().serverSecurity;
      if (draft.password === '') return;
      const remembered = secrets.available && draft.remember;
      set({ secrets: { ...secrets, remembered: { ...secrets.remembered, [mode]: remembered } } });
    },
  });
