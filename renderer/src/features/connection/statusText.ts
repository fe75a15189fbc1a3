/** The link's state in a few words, and the colour it is shown in. */
import type { LinkStatus } from '../../../../shared/ipc/types.ts';
import { hasMessage, type Translate } from '../../i18n/translate.ts';

export type Tone = 'idle' | 'busy' | 'good' | 'bad';

export function describeStatus(status: LinkStatus, t: Translate): { tone: Tone; text: string } {
  switch (status.state) {
    case 'idle':
      return { tone: 'idle', text: t('status.idle') };
    case 'connecting':
      return {
        tone: 'busy',
        text: t(status.securing ? 'status.securing' : 'status.connecting', { where: `${status.host}:${status.port}` }),
      };
    case 'connected':
      return { tone: 'good', text: t('status.connected', { where: `${status.host}:${status.port}` }) };
    case 'listening': {
      const clients =
        status.clients === 0 ? t('status.clients.0') : status.clients === 1 ? t('status.clients.1') : t('status.clients.n', { n: status.clients });
      return { tone: 'good', text: `${t('status.listening', { where: `${status.bind}:${status.port}` })} · ${clients}` };
    }
    case 'error':
      return { tone: 'bad', text: errorHeadline(status.error.code, t) };
    case 'serial':
      if (status.phase === 'open') return { tone: 'good', text: t('status.serialOpen', { path: status.path, line: status.line }) };
      if (status.phase === 'opening') return { tone: 'busy', text: t('status.serialOpening', { path: status.path }) };
      return { tone: 'busy', text: t('status.serialReopening', { path: status.path }) };
  }
}

export function errorHeadline(code: string, t: Translate): string {
  const key = `error.${code}`;
  return hasMessage(key) ? t(key) : t('error.generic');
}

export function errorHint(code: string, t: Translate): string | undefined {
  const key = `hint.${code}`;
  return hasMessage(key) ? t(key) : undefined;
}
