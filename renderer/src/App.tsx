/** The window: header; the tool rail, the selected tool's panel, then log, inspector and send box. */
import { AppHeader } from './features/header/AppHeader.tsx';
import { NoticeToast, SettingsWarning } from './features/header/Banners.tsx';
import { PacketInspector } from './features/inspector/PacketInspector.tsx';
import { PacketLog } from './features/log/PacketLog.tsx';
import { SendBox } from './features/send/SendBox.tsx';
import { ToolPanel } from './features/workbench/ToolPanel.tsx';
import { ToolRail } from './features/workbench/ToolRail.tsx';
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
        <ToolRail />
        <ToolPanel />
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
