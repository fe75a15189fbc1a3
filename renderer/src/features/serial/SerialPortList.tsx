/**
 * The ports this computer lists, with what identifies each; clicking one puts its path in the
 * form: the connection panel's serial form by default, or the caller's (the X/Y/ZMODEM tool).
 */
import { useShallow } from 'zustand/react/shallow';
import { errorText, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';

export function SerialPortList(props: { path?: string; onPick?(path: string): void }) {
  const t = useT();
  const s = useApp(
    useShallow((s) => ({ ports: s.serialPorts, error: s.serialPortsError, listing: s.serialListing, path: props.path ?? s.serialDraft.path })),
  );
  const { refresh, setDraft } = useApp(useShallow((s) => ({ refresh: s.refreshSerialPorts, setDraft: s.setSerialDraft })));
  const pick = props.onPick ?? ((path: string) => setDraft({ path }));
  return (
    <div className="serial-ports">
      <div className="serial-ports-head">
        <span className="field-label">{t('serial.ports')}</span>
        <Button size="sm" variant="ghost" data-testid="serial-refresh" disabled={s.listing} onClick={() => void refresh()}>
          {t('serial.refresh')}
        </Button>
      </div>
      {s.error ? (
        <p className="serial-ports-note serial-ports-error" role="alert">{errorText(t, s.error)}</p>
      ) : s.ports === null || (s.listing && s.ports.length === 0) ? (
        <p className="serial-ports-note">{t('serial.listing')}</p>
      ) : s.ports.length === 0 ? (
        <p className="serial-ports-note" data-testid="serial-no-ports">{t('serial.noPorts')}</p>
      ) : (
        <ul className="serial-port-list" data-testid="serial-port-list">
          {s.ports.map((port) => {
            const ids = port.vendorId || port.productId ? `${port.vendorId ?? '?'}:${port.productId ?? '?'}` : undefined;
            const details = [port.manufacturer, port.serialNumber && `S/N ${port.serialNumber}`, ids].filter(Boolean).join(' · ');
            return (
              <li key={port.path}>
                <button
                  type="button"
                  className={`serial-port ${port.path === s.path.trim() ? 'chosen' : ''}`}
                  aria-pressed={port.path === s.path.trim()}
                  onClick={() => pick(port.path)}
                >
                  <span className="serial-port-path">{port.path}</span>
                  {details && <span className="serial-port-details">{details}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
