/** Title, the link's state, and the language and theme choices. */
import { useShallow } from 'zustand/react/shallow';
import type { Settings } from '../../../../shared/ipc/schemas.ts';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { AppMark } from '../../ui/icons.tsx';
import { StatusPill } from '../connection/StatusPill.tsx';

export function AppHeader() {
  const t = useT();
  const { language, theme, setLanguage, setTheme } = useApp(
    useShallow((s) => ({ language: s.language, theme: s.theme, setLanguage: s.setLanguage, setTheme: s.setTheme })),
  );
  return (
    <header className="app-header">
      <div className="brand">
        <AppMark />
        <h1>{t('app.title')}</h1>
      </div>
      <StatusPill />
      <div className="header-tools">
        <label className="header-select">
          <span>{t('header.language')}</span>
          <select value={language} data-testid="language" onChange={(e) => setLanguage(e.target.value as Settings['language'])}>
            <option value="system">{t('header.system')}</option>
            <option value="en">English</option>
            <option value="ja">日本語</option>
          </select>
        </label>
        <label className="header-select">
          <span>{t('header.theme')}</span>
          <select value={theme} data-testid="theme" onChange={(e) => setTheme(e.target.value as Settings['theme'])}>
            <option value="system">{t('header.system')}</option>
            <option value="light">{t('header.light')}</option>
            <option value="dark">{t('header.dark')}</option>
          </select>
        </label>
      </div>
    </header>
  );
}
