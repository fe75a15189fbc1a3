/** UI language for components: English or Japanese, following the OS unless the user picked one. */
import { useCallback } from 'react';
import { useApp } from '../store/appStore.ts';
import { resolveLanguage, translate, type Language, type Translate } from './translate.ts';

export * from './translate.ts';

export function useLanguage(): Language {
  const setting = useApp((s) => s.language);
  return resolveLanguage(setting, navigator.languages ?? [navigator.language]);
}

export function useT(): Translate {
  const language = useLanguage();
  return useCallback((key, params) => translate(language, key, params), [language]);
}
