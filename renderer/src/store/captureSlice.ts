/** The Captures tool's replay: a recording's client side sent again over this window's link, the replies compared. */
import type { MspApi } from '../../../shared/ipc/api.ts';
import { MAX_CAPTURE_FILE_BYTES } from '../../../shared/capture/import-capture.ts';
import { replayPlan, type ReplyDifference } from '../../../shared/capture/replay-plan.ts';
import type { LogEntry } from '../../../shared/ipc/types.ts';
import { toHex } from '../../../shared/msp/index.ts';
import { appError, type AppError } from '../../../shared/result.ts';
import { replayOverLink } from '../features/captures/replayInWindow.ts';
import type { Slice } from './types.ts';

export type ReplayState =
  | { status: 'idle' }
  | { status: 'running'; file: string; stream: string; sent: number; total: number }
  | {
      status: 'done';
      file: string;
      stream: string;
      /** MSP streams in the recording; the first is replayed (one link, one conversation). */
      streams: number;
      sent: number;
      expected: number;
      got: number;
      differences: ReplyDifference[];
      interrupted: boolean;
    }
  | { status: 'failed'; file: string; error: AppError };

export interface CaptureSlice {
  replay: ReplayState;
  /** Replays the first MSP conversation of `file` over the connected link. */
  startReplay(file: File, asFastAsPossible: boolean): Promise<void>;
  stopReplay(): void;
}

export const createCaptureSlice =
  (api: MspApi): Slice<CaptureSlice> =>
  (set, get) => {
    let abort: AbortController | undefined;
    return {
      replay: { status: 'idle' },

      async startReplay(file, asFastAsPossible) {
        if (get().replay.status === 'running') return;
        const failed = (error: AppError) => set({ replay: { status: 'failed', file: file.name, error } });
        if (file.size > MAX_CAPTURE_FILE_BYTES) return failed(appError('CAPTURE_ERR_TOO_LARGE', `${file.name} is too large to read at once.`));
        const plan = replayPlan(new Uint8Array(await file.arrayBuffer()));
        if (!plan.ok) return failed(plan.error);
        const stream = plan.value[0];
        if (!stream) return failed(appError('CAPTURE_ERR_NOT_A_CAPTURE', `${file.name} has no MSP conversation over TCP to replay.`));
        const total = stream.steps.filter((s) => s.from === 'client').length;
        abort = new AbortController();
        const fromSeq = get().log.upcomingSeq;
        set({ replay: { status: 'running', file: file.name, stream: stream.name, sent: 0, total } });
        const outcome = await replayOverLink(stream, {
          send: async (raw) => (await api.packet.send({ format: 'raw', input: toHex(raw, ''), repeat: 1 })).ok,
          // Only the rows since the replay began: the log may hold 100,000 older ones.
          replies: () => {
            const { log } = get();
            const rows: LogEntry[] = [];
            for (let seq = fromSeq; seq < log.upcomingSeq; seq++) {
              const entry = log.get(seq)?.entry;
              if (entry && entry.dir === 'in' && entry.kind !== 'suppressed') rows.push(entry);
            }
            return rows;
          },
          progress: (sent) => set({ replay: { status: 'running', file: file.name, stream: stream.name, sent, total } }),
          signal: abort.signal,
          asFastAsPossible,
        });
        abort = undefined;
        set({ replay: { status: 'done', file: file.name, stream: stream.name, streams: plan.value.length, ...outcome } });
      },

      stopReplay() {
        abort?.abort();
      },
    };
  };
