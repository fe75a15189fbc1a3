/**
 * The Packets panel: the saved-packet library (kept in main, in packets.json), the editor's
 * draft, and a running sequence's progress. Main checks and stores everything; this slice
 * holds what the panel shows.
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { SequenceProgress } from '../../../shared/ipc/packets.ts';
import { EMPTY_LIBRARY, LIBRARY_MAX_BYTES, type PacketLibrary, type SavedPacket } from '../../../shared/automation/packets.ts';
import type { RunState, StepEvent } from '../../../shared/automation/packets-sequence.ts';
import type { AppError } from '../../../shared/result.ts';
import type { Slice } from './types.ts';

/** The editor's fields as typed (numbers as text until saved). */
export interface PacketDraft {
  /** The packet being edited; undefined for a new one. */
  editing?: string;
  name: string;
  folder: string;
  format: SavedPacket['format'];
  body: string;
  /** TYPE as hex text: "10" for DATA. */
  type: string;
  version: string;
  /** "" for no shortcut, else "1".."9". */
  key: string;
}

export interface SequenceRunView {
  sequenceId: string | null;
  state: RunState;
  /** The newest step outcomes (at most RUN_STEPS_SHOWN). */
  steps: StepEvent[];
  error?: AppError;
}

/** Step outcomes the panel keeps for a run: a long loop shows its latest steps. */
export const RUN_STEPS_SHOWN = 200;

export interface PacketsSlice {
  library: PacketLibrary;
  packetsLoaded: boolean;
  /** The last thing that went wrong in the panel (a send, a save, an import), or a damaged file. */
  packetsError: AppError | null;
  packetDraft: PacketDraft | null;
  sequenceRun: SequenceRunView;
  loadPackets(): Promise<void>;
  sendSaved(id: string): Promise<void>;
  editPacket(id?: string): void;
  setPacketDraft(patch: Partial<PacketDraft>): void;
  cancelPacketDraft(): void;
  savePacketDraft(): Promise<boolean>;
  deletePacket(id: string): Promise<void>;
  importPackets(file: { size: number; text(): Promise<string> }): Promise<void>;
  runSequence(id: string): Promise<void>;
  controlSequence(action: 'pause' | 'resume' | 'step' | 'stop'): Promise<void>;
  onSequenceProgress(progress: SequenceProgress): void;
}

const NEW_DRAFT: PacketDraft = { name: '', folder: '', format: 'text', body: '', type: '10', version: '1', key: '' };

/** An id from a name: letters and digits kept, made unique among `taken`. */
export function makePacketId(name: string, taken: ReadonlySet<string>): string {
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'packet';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function draftOf(packet: SavedPacket): PacketDraft {
  return {
    editing: packet.id,
    name: packet.name,
    folder: packet.folder,
    format: packet.format,
    body: packet.body,
    type: packet.type.toString(16).toUpperCase().padStart(2, '0'),
    version: String(packet.version),
    key: packet.key === undefined ? '' : String(packet.key),
  };
}

/** The draft as a saved packet, or what is wrong with the number fields (main checks the rest). */
export function packetFromDraft(draft: PacketDraft, id: string): SavedPacket | AppError {
  const type = /^[0-9a-f]{1,2}$/i.test(draft.type.trim()) ? parseInt(draft.type.trim(), 16) : NaN;
  if (Number.isNaN(type)) return { code: 'UI_ERR_BAD_TYPE', message: 'TYPE is one byte in hex, 00 to FF (10 is DATA).' };
  const version = Number(draft.version.trim());
  if (!Number.isInteger(version) || version < 0 || version > 255 || draft.version.trim() === '') {
    return { code: 'UI_ERR_BAD_VERSION', message: 'VERSION is a whole number from 0 to 255.' };
  }
  return {
    id,
    name: draft.name.trim(),
    folder: draft.folder.trim(),
    format: draft.format,
    body: draft.body,
    type,
    version,
    ...(draft.key !== '' ? { key: Number(draft.key) } : {}),
  };
}

export const createPacketsSlice =
  (api: MspApi): Slice<PacketsSlice> =>
  (set, get) => {
    const saveLibrary = async (library: PacketLibrary): Promise<boolean> => {
      const result = await api.packets.save(library);
      if (!result.ok) {
        set({ packetsError: result.error });
        return false;
      }
      set({ library: result.value, packetsError: null });
      return true;
    };
    return {
      library: EMPTY_LIBRARY,
      packetsLoaded: false,
      packetsError: null,
      packetDraft: null,
      sequenceRun: { sequenceId: null, state: 'idle', steps: [] },

      async loadPackets() {
        const result = await api.packets.load();
        if (!result.ok) return set({ packetsError: result.error, packetsLoaded: true });
        set({ library: result.value.library, packetsLoaded: true, packetsError: result.value.warning ?? null });
      },

      async sendSaved(id) {
        const target = get().sendTarget;
        const result = await api.packets.send({ id, ...(target !== 'all' ? { to: target } : {}) });
        set({ packetsError: result.ok ? null : result.error });
      },

      editPacket(id) {
        const packet = id === undefined ? undefined : get().library.packets.find((p) => p.id === id);
        set({ packetDraft: packet ? draftOf(packet) : { ...NEW_DRAFT }, packetsError: null });
      },
      setPacketDraft(patch) {
        const draft = get().packetDraft;
        if (draft) set({ packetDraft: { ...draft, ...patch } });
      },
      cancelPacketDraft() {
        set({ packetDraft: null, packetsError: null });
      },

      async savePacketDraft() {
        const { packetDraft: draft, library } = get();
        if (!draft) return false;
        const taken = new Set(library.packets.map((p) => p.id));
        const id = draft.editing ?? makePacketId(draft.name, taken);
        const packet = packetFromDraft(draft, id);
        if ('code' in packet) {
          set({ packetsError: packet });
          return false;
        }
        // A shortcut moves to this packet from whichever had it.
        const others = library.packets
          .filter((p) => p.id !== id)
          .map((p) => (packet.key !== undefined && p.key === packet.key ? { ...p, key: undefined } : p))
          .map(({ key, ...rest }) => (key === undefined ? rest : { ...rest, key }));
        const index = library.packets.findIndex((p) => p.id === id);
        const packets = index < 0 ? [...others, packet] : [...others.slice(0, index), packet, ...others.slice(index)];
        const saved = await saveLibrary({ ...library, packets });
        if (saved) set({ packetDraft: null });
        return saved;
      },

      async deletePacket(id) {
        const { library } = get();
        // Sequences that send it would no longer load: main refuses, and says which.
        await saveLibrary({ ...library, packets: library.packets.filter((p) => p.id !== id) });
      },

      async importPackets(file) {
        if (file.size > LIBRARY_MAX_BYTES) {
          set({ packetsError: { code: 'PACKETS_ERR_TOO_LARGE', message: `The file is over ${LIBRARY_MAX_BYTES / 1024 / 1024} MiB.` } });
          return;
        }
        const result = await api.packets.import({ text: await file.text(), replace: false });
        set(result.ok ? { library: result.value, packetsError: null } : { packetsError: result.error });
      },

      async runSequence(id) {
        set({ sequenceRun: { sequenceId: id, state: 'running', steps: [] } });
        const result = await api.sequence.run({ id });
        if (!result.ok) set({ sequenceRun: { sequenceId: id, state: 'failed', steps: [], error: result.error } });
      },

      async controlSequence(action) {
        await api.sequence.control({ action });
      },

      onSequenceProgress(progress) {
        const run = get().sequenceRun;
        const steps = progress.step ? [...run.steps, progress.step].slice(-RUN_STEPS_SHOWN) : run.steps;
        set({
          sequenceRun: {
            sequenceId: progress.sequenceId,
            state: progress.state,
            steps: run.sequenceId === progress.sequenceId ? steps : progress.step ? [progress.step] : [],
            ...(progress.error ? { error: progress.error } : {}),
          },
        });
      },
    };
  };
