/** The server panel: connected clients, auto-ACK, broadcast. Selecting a client filters the log by its address. */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { AppError } from '../../../shared/result.ts';
import type { ClientSummary } from '../../../shared/ipc/types.ts';
import type { Slice } from './types.ts';

export interface ServerSlice {
  clients: ClientSummary[];
  autoAck: boolean;
  serverError: AppError | null;
  setAutoAck(on: boolean): Promise<void>;
  disconnectClient(clientId: number): Promise<void>;
  broadcast(text: string): Promise<boolean>;
  /** Shows only this client's traffic (its address), or everyone's. */
  selectClient(peer: string | null): void;
}

export const createServerSlice =
  (api: MspApi): Slice<ServerSlice> =>
  (set, get) => ({
    clients: [],
    autoAck: true,
    serverError: null,

    async setAutoAck(on) {
      const result = await api.server.setAutoAck({ on });
      set(result.ok ? { autoAck: result.value, serverError: null } : { serverError: result.error });
    },

    async disconnectClient(clientId) {
      const result = await api.server.disconnect({ clientId });
      set({ serverError: result.ok ? null : result.error });
    },

    async broadcast(text) {
      const result = await api.packet.send({ format: 'text', input: text, to: 'all' });
      set({ serverError: result.ok ? null : result.error });
      return result.ok;
    },

    selectClient(peer) {
      get().setFilter({ peer });
    },
  });
