/** The packet log, its filter, the selected packet and whether the view follows new packets. */
import type { TrafficEvent } from '../../../shared/ipc/types.ts';
import { SHOW_EVERYTHING, type LogFilter } from '../features/log/logFilter.ts';
import { PacketLog } from '../features/log/packetLog.ts';
import type { Slice } from './types.ts';

/** The log's bounds; shared/limits.ts's by default, lower in tests. */
export interface LogLimits {
  maxEntries?: number;
  maxBytes?: number;
}

/** Runs a callback before the next paint; the app passes requestAnimationFrame. */
export type FrameScheduler = (callback: () => void) => void;

export interface LogSlice {
  /** Mutable, held once; `logRevision` changes whenever it does. */
  log: PacketLog;
  logRevision: number;
  filter: LogFilter;
  selectedSeq: number | null;
  /** Scroll to each new packet; off while the user reads older ones. */
  follow: boolean;
  /**
   * Takes in a batch of traffic at once (memory stays bounded by the ring buffer), and
   * has the log redrawn at the next frame: however many batches arrive in between, one
   * render. (A hidden window draws no frames, so it renders nothing until shown.)
   */
  ingestTraffic(events: readonly TrafficEvent[]): void;
  /** Redraws the log now (what ingestTraffic schedules). */
  refreshLog(): void;
  setFilter(patch: Partial<LogFilter>): void;
  resetFilter(): void;
  select(seq: number | null): void;
  setFollow(on: boolean): void;
  clearLog(): void;
}

export const createLogSlice = (limits: LogLimits, scheduleFrame: FrameScheduler): Slice<LogSlice> => (set, get) => {
  let refreshPending = false;
  return {
    log: new PacketLog(limits.maxEntries, limits.maxBytes),
    logRevision: 0,
    filter: SHOW_EVERYTHING,
    selectedSeq: null,
    follow: true,

    ingestTraffic(events) {
      get().log.ingest(events);
      if (refreshPending) return;
      refreshPending = true;
      scheduleFrame(() => {
        refreshPending = false;
        get().refreshLog();
      });
    },

    refreshLog() {
      const { log, selectedSeq } = get();
      // A selected packet that was pushed out of the log is no longer selectable.
      const selectionGone = selectedSeq !== null && log.get(selectedSeq) === undefined;
      set((s) => ({ logRevision: s.logRevision + 1, ...(selectionGone ? { selectedSeq: null } : {}) }));
    },

    setFilter(patch) {
      const filter = { ...get().filter, ...patch };
      get().log.setFilter(filter);
      set((s) => ({ filter, logRevision: s.logRevision + 1 }));
    },

    resetFilter() {
      get().log.setFilter(SHOW_EVERYTHING);
      set((s) => ({ filter: SHOW_EVERYTHING, logRevision: s.logRevision + 1 }));
    },

    select(seq) {
      set({ selectedSeq: seq });
    },

    setFollow(on) {
      set({ follow: on });
    },

    clearLog() {
      get().log.clear();
      set((s) => ({ selectedSeq: null, logRevision: s.logRevision + 1 }));
    },
  };
};
