/** Puts the resolved theme and language on <html>, following the OS unless the user picked one. */
import { useEffect, useState } from 'react';
import { useLanguage } from '../i18n/index.ts';
import { useApp } from '../store/appStore.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function useDocumentSettings(): void {
  const theme = useApp((s) => s.theme);
  const language = useLanguage();
  const [osDark, setOsDark] = useState(() => window.matchMedia(DARK_QUERY).matches);

  useEffect(() => {
    const query = window.matchMedia(DARK_QUERY);
    const onChange = () => setOsDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    const dark = theme === 'dark' || (theme === 'system' && osDark);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [theme, osDark]);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
}
