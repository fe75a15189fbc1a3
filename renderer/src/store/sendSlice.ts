/** The send box: what is typed, how it is sent, the history, and a repeat in progress. */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { AppError } from '../../../shared/result.ts';
import { HISTORY_LIMIT, SEND_INTERVAL_MS_RANGE, SEND_REPEAT_RANGE, isWholeInRange } from '../../../shared/limits.ts';
import type { SendProgress } from '../../../shared/ipc/types.ts';
import { composeOutgoing, type SendFormat } from '../../../shared/send/compose.ts';
import type { Slice } from './types.ts';

export interface SendSlice {
  sendFormat: SendFormat;
  sendInput: string;
  repeatText: string;
  intervalText: string;
  /** Sent inputs, newest last: kept for this run, and in settings.json only when saveHistory is on. */
  history: string[];
  saveHistory: boolean;
  /** While browsing the history with up/down: the index shown; null when editing. */
  historyCursor: number | null;
  /** Server mode: one client (by id) or all. */
  sendTarget: 'all' | number;
  sendProgress: SendProgress;
  sendError: AppError | null;
  setSendFormat(format: SendFormat): void;
  setSendInput(input: string): void;
  setRepeatText(text: string): void;
  setIntervalText(text: string): void;
  setSendTarget(target: 'all' | number): void;
  setSaveHistory(on: boolean): void;
  historyUp(): void;
  historyDown(): void;
  send(): Promise<void>;
  cancelSend(): Promise<void>;
}

export function parseRepeat(repeatText: string, intervalText: string): { repeat: number; intervalMs: number } | AppError {
  const repeat = Number(repeatText.trim() || '1');
  const intervalMs = Number(intervalText.trim() || '0');
  if (!isWholeInRange(repeat, SEND_REPEAT_RANGE)) {
    return { code: 'UI_ERR_BAD_REPEAT', message: 'Repeat must be a whole number from 1 to 1,000,000.' };
  }
  if (!isWholeInRange(intervalMs, SEND_INTERVAL_MS_RANGE)) {
    return { code: 'UI_ERR_BAD_INTERVAL', message: 'The interval must be a whole number of milliseconds, 0 to 3,600,000.' };
  }
  return { repeat, intervalMs };
}

export const createSendSlice =
  (api: MspApi): Slice<SendSlice> =>
  (set, get) => ({
    sendFormat: 'text',
    sendInput: '',
    repeatText: '1',
    intervalText: '0',
    history: [],
    saveHistory: false,
    historyCursor: null,
    sendTarget: 'all',
    sendProgress: { running: false, sent: 0, total: 0 },
    sendError: null,

    setSendFormat(format) {
      set({ sendFormat: format, sendError: null });
      void api.settings.save({ sendFormat: format });
    },
    setSendInput(input) {
      set({ sendInput: input, historyCursor: null, sendError: null });
    },
    setRepeatText(text) {
      set({ repeatText: text, sendError: null });
    },
    setIntervalText(text) {
      set({ intervalText: text, sendError: null });
    },
    setSendTarget(target) {
      set({ sendTarget: target });
    },
    setSaveHistory(on) {
      set({ saveHistory: on });
      // On: this run's history is kept from now on. Off: main erases what it kept.
      void api.settings.save(on ? { saveHistory: true, history: get().history } : { saveHistory: false });
    },

    historyUp() {
      const { history, historyCursor } = get();
      if (history.length === 0) return;
      const cursor = historyCursor === null ? history.length - 1 : Math.max(0, historyCursor - 1);
      set({ historyCursor: cursor, sendInput: history[cursor], sendError: null });
    },
    historyDown() {
      const { history, historyCursor } = get();
      if (historyCursor === null) return;
      if (historyCursor >= history.length - 1) set({ historyCursor: null, sendInput: '' });
      else set({ historyCursor: historyCursor + 1, sendInput: history[historyCursor + 1] });
    },

    async send() {
      const { sendFormat, sendInput, repeatText, intervalText, status, sendTarget } = get();
      // Checked here too so invalid hex is never even offered to main (which checks again).
      const composed = composeOutgoing(sendFormat, sendInput);
      if (!composed.ok) {
        set({ sendError: composed.error });
        return;
      }
      const repeat = parseRepeat(repeatText, intervalText);
      if ('code' in repeat) {
        set({ sendError: repeat });
        return;
      }
      const result = await api.packet.send({
        format: sendFormat,
        input: sendInput,
        ...repeat,
        ...(status.state === 'listening' ? { to: sendTarget } : {}),
      });
      if (!result.ok) {
        set({ sendError: result.error });
        return;
      }
      const history = [...get().history.filter((h) => h !== sendInput), sendInput].slice(-HISTORY_LIMIT);
      set({ history, historyCursor: null, sendInput: '', sendError: null });
      if (get().saveHistory) void api.settings.save({ history });
    },

    async cancelSend() {
      await api.packet.cancelSend();
    },
  });
