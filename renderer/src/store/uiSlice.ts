/** Language, theme, the settings warning, short notices ("Copied"), and what main told us about itself. */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { AppError } from '../../../shared/result.ts';
import type { Settings } from '../../../shared/ipc/schemas.ts';
import type { AppInfo } from '../../../shared/ipc/types.ts';
import type { Slice } from './types.ts';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface UiSlice {
  /** False until main's snapshot arrived. */
  ready: boolean;
  info: AppInfo;
  language: Settings['language'];
  theme: Settings['theme'];
  settingsWarning: AppError | null;
  notice: Notice | null;
  setLanguage(language: Settings['language']): void;
  setTheme(theme: Settings['theme']): void;
  dismissSettingsWarning(): void;
  /** Copies through main (the renderer has no clipboard permission) and says so. */
  copyText(text: string, doneMessage: string): Promise<void>;
  showNotice(text: string, tone?: Notice['tone']): void;
  openExternal(url: string): Promise<void>;
}

const NOTICE_MS = 2500;
let lastNoticeId = 0;

export const createUiSlice =
  (api: MspApi): Slice<UiSlice> =>
  (set, get) => ({
    ready: false,
    info: { platform: '', version: '' },
    language: 'system',
    theme: 'system',
    settingsWarning: null,
    notice: null,

    setLanguage(language) {
      set({ language });
      void api.settings.save({ language });
    },
    setTheme(theme) {
      set({ theme });
      void api.settings.save({ theme });
    },
    dismissSettingsWarning() {
      set({ settingsWarning: null });
    },

    async copyText(text, doneMessage) {
      const result = await api.app.copyText({ text });
      get().showNotice(result.ok ? doneMessage : result.error.message, result.ok ? 'info' : 'error');
    },

    showNotice(text, tone = 'info') {
      const notice = { id: ++lastNoticeId, text, tone };
      set({ notice });
      setTimeout(() => {
        if (get().notice?.id === notice.id) set({ notice: null });
      }, NOTICE_MS);
    },

    async openExternal(url) {
      const result = await api.app.openExternal({ url });
      if (!result.ok) get().showNotice(result.error.message, 'error');
    },
  });
