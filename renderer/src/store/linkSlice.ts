/** Connection settings being edited, and the link's state as main reports it. */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { AppError } from '../../../shared/result.ts';
import { TCP_PORT_RANGE, isWholeInRange } from '../../../shared/limits.ts';
import type { BindAddress, LinkConfig, LinkConfigInput } from '../../../shared/ipc/schemas.ts';
import type { LinkStatus } from '../../../shared/ipc/types.ts';
import { clientSecurityRequest, serverSecurityRequest } from './securitySlice.ts';
import type { Slice } from './types.ts';

export type Mode = 'client' | 'server' | 'serial';
/** The TCP modes: the ones with a password, a security scheme and TLS. */
export type TcpMode = Exclude<Mode, 'serial'>;

export interface LinkDraft {
  mode: Mode;
  host: string;
  /** Kept as typed, so a half-typed port is not lost; checked before use. */
  clientPort: string;
  bind: BindAddress;
  serverPort: string;
}

export interface LinkSlice {
  status: LinkStatus;
  draft: LinkDraft;
  /** Why the last open or close request was refused (the status carries link errors). */
  linkRequestError: AppError | null;
  setDraft(patch: Partial<LinkDraft>): void;
  openLink(): Promise<void>;
  closeLink(): Promise<void>;
}

export const isLinkOpen = (status: LinkStatus): boolean =>
  status.state === 'connected' || status.state === 'listening' || status.state === 'connecting' || status.state === 'serial';

/** The draft as a request, or what is wrong with it. */
export function linkConfigFromDraft(draft: LinkDraft): { ok: true; config: LinkConfig } | { ok: false; error: AppError } {
  const portText = draft.mode === 'client' ? draft.clientPort : draft.serverPort;
  const port = Number(portText.trim());
  const min = draft.mode === 'client' ? 1 : TCP_PORT_RANGE.min;
  if (!/^\d+$/.test(portText.trim()) || !isWholeInRange(port, { min, max: TCP_PORT_RANGE.max })) {
    return { ok: false, error: { code: 'UI_ERR_BAD_PORT', message: `The port must be a number from ${min} to ${TCP_PORT_RANGE.max}.` } };
  }
  if (draft.mode === 'client') {
    const host = draft.host.trim();
    if (host === '') return { ok: false, error: { code: 'UI_ERR_NO_HOST', message: 'Type the server\'s host name or address.' } };
    return { ok: true, config: { mode: 'client', host, port } };
  }
  return { ok: true, config: { mode: 'server', bind: draft.bind, port } };
}

export const createLinkSlice =
  (api: MspApi): Slice<LinkSlice> =>
  (set, get) => ({
    status: { state: 'idle' },
    draft: { mode: 'client', host: '127.0.0.1', clientPort: '9009', bind: '127.0.0.1', serverPort: '9009' },
    linkRequestError: null,

    setDraft(patch) {
      const draft = { ...get().draft, ...patch };
      set({ draft, linkRequestError: null });
      if (patch.mode) void api.settings.save({ mode: patch.mode });
    },

    async openLink() {
      if (get().draft.mode === 'serial') return get().openSerial();
      const parsed = linkConfigFromDraft(get().draft);
      if (!parsed.ok) {
        set({ linkRequestError: parsed.error });
        return;
      }
      set({ linkRequestError: null });
      const { config } = parsed;
      void api.settings.save(
        config.mode === 'client'
          ? { mode: 'client', client: { host: config.host, port: config.port } }
          : { mode: 'server', server: { bind: config.bind, port: config.port } },
      );
      const { clientSecurity, serverSecurity, secrets } = get();
      const security = config.mode === 'client' ? clientSecurityRequest(clientSecurity, secrets) : serverSecurityRequest(serverSecurity, secrets);
      const request = (security ? { ...config, security } : config) as LinkConfigInput;
      const result = await api.link.open(request);
      get().notePasswordUsed(config.mode);
      // Link errors arrive as the status; anything else (a refused request) is shown here.
      const shownAsStatus = (code: string) => code.startsWith('LINK_ERR_') || code.startsWith('CRYPTO_ERR_');
      if (!result.ok && !shownAsStatus(result.error.code) && result.error.code !== 'APP_ERR_CANCELLED') {
        set({ linkRequestError: result.error });
      }
    },

    async closeLink() {
      const result = await api.link.close();
      if (!result.ok) set({ linkRequestError: result.error });
    },
  });
