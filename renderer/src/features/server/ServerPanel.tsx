/** Connected clients with their traffic, auto-ACK, and broadcast. Clicking a client filters the log to it. */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClientSummary } from '../../../../shared/ipc/types.ts';
import { errorText, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button, Panel, Switch } from '../../ui/controls.tsx';
import { formatClock, formatCount, secondsSince } from '../../ui/format.ts';
import { BroadcastIcon } from '../../ui/icons.tsx';

export function ServerPanel() {
  const t = useT();
  const { clients, autoAck, listening, selectedPeer, serverError } = useApp(
    useShallow((s) => ({
      clients: s.clients,
      autoAck: s.autoAck,
      listening: s.status.state === 'listening',
      selectedPeer: s.filter.peer,
      serverError: s.serverError,
    })),
  );
  const { setAutoAck, selectClient } = useApp(useShallow((s) => ({ setAutoAck: s.setAutoAck, selectClient: s.selectClient })));
  const now = useNow(1000);

  return (
    <Panel
      title={t('server.title')}
      testId="server-panel"
      aside={
        <Switch label={t('server.autoAck')} title={t('server.autoAckHint')} checked={autoAck} onChange={(on) => void setAutoAck(on)} testId="auto-ack" />
      }
    >
      {!listening ? (
        <p className="empty-note">{t('server.notListening')}</p>
      ) : clients.length === 0 ? (
        <p className="empty-note">{t('server.noClients')}</p>
      ) : (
        <ul className="client-list" data-testid="client-list">
          {clients.map((client) => (
            <ClientRow
              key={client.clientId}
              client={client}
              now={now}
              selected={selectedPeer === client.peer}
              onSelect={() => selectClient(selectedPeer === client.peer ? null : client.peer)}
            />
          ))}
        </ul>
      )}
      {selectedPeer !== null && listening && (
        <div className="filter-note">
          <span>{t('server.filtering', { peer: selectedPeer })}</span>
          <Button size="sm" variant="ghost" onClick={() => selectClient(null)}>
            {t('server.showAll')}
          </Button>
        </div>
      )}
      {listening && <Broadcast disabled={clients.length === 0} />}
      {serverError && <p className="inline-error" role="alert">{errorText(t, serverError)}</p>}
    </Panel>
  );
}

function ClientRow(props: { client: ClientSummary; now: number; selected: boolean; onSelect(): void }) {
  const t = useT();
  const disconnect = useApp((s) => s.disconnectClient);
  const { client } = props;
  return (
    <li className={`client-row ${props.selected ? 'selected' : ''}`} data-testid="client-row" data-peer={client.peer}>
      <button type="button" className="client-main" onClick={props.onSelect} aria-pressed={props.selected}>
        <span className="client-peer">{client.peer}</span>
        <span className="client-meta">
          <span className="client-count">{t('server.inOut', { in: formatCount(client.packetsIn), out: formatCount(client.packetsOut) })}</span>
          <span>{t('server.lastActivity', { s: secondsSince(client.lastActivity, props.now) })}</span>
        </span>
        <span className="client-meta">{t('server.since', { time: formatClock(client.since).slice(0, 8) })}</span>
      </button>
      <Button size="sm" variant="danger" onClick={() => void disconnect(client.clientId)} data-testid="disconnect-client">
        {t('server.disconnect')}
      </Button>
    </li>
  );
}

function Broadcast({ disabled }: { disabled: boolean }) {
  const t = useT();
  const broadcast = useApp((s) => s.broadcast);
  const showNotice = useApp((s) => s.showNotice);
  const [text, setText] = useState('');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await broadcast(text)) {
      setText('');
      showNotice(t('server.broadcastSent'));
    }
  };
  return (
    <form className="broadcast" onSubmit={(e) => void onSubmit(e)}>
      <input value={text} placeholder={t('server.broadcastPlaceholder')} onChange={(e) => setText(e.target.value)} disabled={disabled} data-testid="broadcast-input" />
      <Button type="submit" size="sm" icon={<BroadcastIcon />} disabled={disabled || text === ''}>
        {t('server.broadcast')}
      </Button>
    </form>
  );
}

/** The current time, refreshed every `ms`, for "active 3 s ago". */
function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
