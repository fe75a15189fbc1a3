/** The first tool: connection settings, the server panel in server mode, and the rates. */
import { useApp } from '../../store/appStore.ts';
import { ConnectionPanel } from '../connection/ConnectionPanel.tsx';
import { RatesPanel } from '../rates/RatesPanel.tsx';
import { ServerPanel } from '../server/ServerPanel.tsx';

export function ConnectionTool() {
  const mode = useApp((s) => s.draft.mode);
  return (
    <>
      <ConnectionPanel />
      {mode === 'server' && <ServerPanel />}
      <RatesPanel />
    </>
  );
}
