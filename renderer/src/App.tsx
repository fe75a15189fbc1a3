/** The window: header, connection / server / rates on the left; log, inspector and send box on the right. */
import { ConnectionPanel } from './features/connection/ConnectionPanel.tsx';
import { AppHeader } from './features/header/AppHeader.tsx';
import { NoticeToast, SettingsWarning } from './features/header/Banners.tsx';
import { PacketInspector } from './features/inspector/PacketInspector.tsx';
import { PacketLog } from './features/log/PacketLog.tsx';
import { RatesPanel } from './features/rates/RatesPanel.tsx';
import { SendBox } from './features/send/SendBox.tsx';
import { ServerPanel } from './features/server/ServerPanel.tsx';
import { useT } from './i18n/index.ts';
import { useApp } from './store/appStore.ts';
import { useDocumentSettings } from './ui/useDocumentSettings.ts';

export function App() {
  useDocumentSettings();
  const t = useT();
  const ready = useApp((s) => s.ready);
  const mode = useApp((s) => s.draft.mode);
  if (!ready) return <div className="loading">{t('app.loading')}</div>;
  return (
    <div className="app" data-testid="app" data-mode={mode}>
      <AppHeader />
      <SettingsWarning />
      <div className="workspace">
        <aside className="sidebar">
          <ConnectionPanel />
          {mode === 'server' && <ServerPanel />}
          <RatesPanel />
        </aside>
        <main className="main">
          <PacketLog />
          <PacketInspector />
          <SendBox />
        </main>
      </div>
      <NoticeToast />
    </div>
  );
}
