/** Looking up UI text: pure functions, no React, so they can be tested and used anywhere. */
import type { AppError } from '../../../shared/result.ts';
import type { Settings } from '../../../shared/ipc/schemas.ts';
import { en, type MessageKey } from './en.ts';
import { ja } from './ja.ts';

export type Language = 'en' | 'ja';
export type { MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const MESSAGES: Record<Language, Record<MessageKey, string>> = { en, ja };

/** 'system' follows the OS's first preferred language: Japanese for any ja-*, else English. */
export function resolveLanguage(setting: Settings['language'], osLanguages: readonly string[]): Language {
  if (setting !== 'system') return setting;
  return osLanguages[0]?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function translate(language: Language, key: MessageKey, params?: Params): string {
  const template = MESSAGES[language][key];
  return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : template;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * A person-readable sentence for an error: ours when we have one for its code; else main's
 * own, worded again in the UI language for a link, secure-channel or MSP code (backendErrors.ts).
 */
export function errorText(t: Translate, error: AppError): string {
  const key = `apperror.${error.code}`;
  if (hasMessage(key)) return t(key);
  const backendKey = `backend.${error.code}`;
  return hasMessage(backendKey) ? t(backendKey, { message: error.message }) : error.message;
}
