/**
 * Binds main's events to the store, once, at start-up and outside React: components only
 * read the store. Also loads main's snapshot (status, settings...) so a reloaded window
 * picks up where the app is.
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import type { AppSnapshot } from '../../../shared/ipc/types.ts';
import type { AppStore } from './createAppStore.ts';
import { serialDraftFromSettings } from './serialSlice.ts';
import type { AppState } from './types.ts';

export function bindIpc(store: AppStore, api: MspApi): () => void {
  const unsubscribe = [
    api.link.onStatus((status) => {
      const previous = store.getState().status;
      // A new link starts a new rates chart.
      if ((status.state === 'connecting' || status.state === 'listening' || status.state === 'serial') && previous.state !== status.state) {
        store.getState().resetRates();
      }
      // A new link: the last one's remote commands are not this one's.
      if (status.state !== previous.state) store.getState().resetRemote();
      store.setState({ status });
    }),
    api.packet.onTraffic((events) => store.getState().ingestTraffic(events)),
    api.packet.onSendProgress((sendProgress) => store.setState({ sendProgress })),
    api.server.onClients((clients) => store.setState({ clients })),
    api.stats.onRates((sample) => store.getState().addRate(sample)),
    api.sequence.onProgress((progress) => store.getState().onSequenceProgress(progress)),
    api.automation.onFired((status) => store.setState({ rulesFired: status.fired })),
    api.transfer.onUpdate((view) => store.getState().applyTransfer(view)),
    api.transfer.onOffers((offers) => store.setState({ offers })),
    api.modem.onUpdate((run) => store.getState().applyModemRun(run)),
    api.remote.onOutput((output) => store.getState().remoteOutput(output)),
    api.remote.onEnd((end) => store.getState().remoteEnded(end)),
    api.remote.onHost((remoteHost) => store.setState({ remoteHost })),
  ];
  // Saved packets are loaded at once: their shortcuts work before the Packets panel is opened.
  void store.getState().loadPackets();
  void api.app.init().then((result) => {
    if (result.ok) store.setState(stateFromSnapshot(result.value));
    else store.setState({ ready: true, settingsWarning: result.error });
  });
  return () => {
    for (const off of unsubscribe) off();
  };
}

export function stateFromSnapshot(snapshot: AppSnapshot): Partial<AppState> {
  const { settings } = snapshot;
  return {
    ready: true,
    info: snapshot.info,
    status: snapshot.status,
    clients: snapshot.clients,
    autoAck: snapshot.autoAck,
    sendProgress: snapshot.sendProgress,
    settingsWarning: snapshot.settingsWarning ?? null,
    secrets: snapshot.secrets,
    draft: {
      mode: settings.mode,
      host: settings.client.host,
      clientPort: String(settings.client.port),
      bind: settings.server.bind,
      serverPort: String(settings.server.port),
    },
    serialDraft: serialDraftFromSettings(settings.serial),
    history: settings.history,
    saveHistory: settings.saveHistory,
    sendFormat: settings.sendFormat,
    language: settings.language,
    theme: settings.theme,
  };
}
