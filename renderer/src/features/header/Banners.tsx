/** The settings warning (shown until dismissed) and short notices such as "Copied". */
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { AlertIcon, CloseIcon } from '../../ui/icons.tsx';

export function SettingsWarning() {
  const t = useT();
  const { warning, dismiss } = useApp(useShallow((s) => ({ warning: s.settingsWarning, dismiss: s.dismissSettingsWarning })));
  if (!warning) return null;
  return (
    <div className="banner" role="alert" data-testid="settings-warning">
      <AlertIcon />
      <strong>{t('settings.warningTitle')}</strong>
      <span>{warning.message}</span>
      <Button size="sm" variant="ghost" icon={<CloseIcon />} onClick={dismiss} aria-label={t('settings.dismiss')}>
        {t('settings.dismiss')}
      </Button>
    </div>
  );
}

export function NoticeToast() {
  const notice = useApp((s) => s.notice);
  if (!notice) return null;
  return (
    <div className={`toast toast-${notice.tone}`} role="status" data-testid="notice" key={notice.id}>
      {notice.text}
    </div>
  );
}
