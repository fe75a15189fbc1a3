/** Which backend method answers each request. Plain Node: the test host uses the same map. */
import type { RequestName, RequestValues, ValidRequestArg } from '../../../shared/ipc/contract.ts';
import { ok, type Result } from '../../../shared/result.ts';
import type { AppBackend } from '../app/backend.ts';

/** What only the host can do: Electron's clipboard and shell, or the test host's stand-ins. */
export interface PlatformServices {
  copyText(text: string): Promise<Result<null>>;
  openExternal(url: string): Promise<Result<null>>;
}

export type RequestHandlers = {
  [K in RequestName]: (arg: ValidRequestArg<K>) => Result<RequestValues[K]> | Promise<Result<RequestValues[K]>>;
};

export function requestHandlers(backend: AppBackend, services: PlatformServices): RequestHandlers {
  return {
    'app.init': () => backend.init(),
    'app.copyText': ({ text }) => services.copyText(text),
    'app.openExternal': ({ url }) => services.openExternal(url),
    'link.open': (config) => backend.openLink(config),
    'link.close': () => backend.closeLink(),
    'packet.send': (request) => backend.send(request),
    'packet.cancelSend': () => backend.cancelSend(),
    'server.disconnect': ({ clientId }) => backend.disconnectClient(clientId),
    'server.setAutoAck': ({ on }) => backend.setAutoAck(on),
    'settings.save': (patch) => backend.saveSettings(patch),
    'serial.options': () => backend.serialOptions(),
    'serial.listPorts': () => backend.listSerialPorts(),
    'serial.open': (request) => backend.openSerial(request),
    'serial.setSignals': (lines) => backend.setSerialSignals(lines),
    'secrets.forget': ({ mode }) => backend.forgetPassword(mode),
    'packets.load': () => backend.packets.load(),
    'packets.save': (library) => backend.packets.save(library),
    'packets.import': ({ text, replace }) => backend.packets.importText(text, replace),
    'packets.send': ({ id, to }) => backend.packets.send(id, to),
    'sequence.run': ({ id }) => backend.packets.runSequence(id),
    'sequence.control': ({ action }) => backend.packets.control(action),
    'automation.setRules': (file) => backend.automation.setRules(file),
    'automation.status': () => ok(backend.automation.status()),
    'transfer.snapshot': () => ok(backend.transfers.snapshot()),
    'transfer.uploadStart': (request) => backend.uploads.start(request),
    'transfer.uploadChunk': (piece) => backend.uploads.chunk(piece),
    'transfer.uploadFinish': ({ uploadId }) => backend.transfers.uploadFinish(uploadId),
    'transfer.stop': ({ key, how }) => backend.transfers.stop(key, how),
    'transfer.resume': ({ key }) => backend.transfers.resume(key),
    'transfer.answer': (answer) => backend.transfers.answer(answer),
    'transfer.setReceive': (settings) => backend.transfers.setReceive(settings),
    'modem.snapshot': () => ok(backend.modem.snapshot()),
    'modem.send': (request) => backend.modem.send(request),
    'modem.receive': (request) => backend.modem.receive(request),
    'modem.cancel': () => backend.modem.cancel(),
    'remote.list': () => backend.remote.list(),
    'remote.run': (request) => backend.remote.run(request),
    'remote.putFile': (request) => backend.remote.putFile(request),
    'remote.cancel': ({ runId }) => backend.remote.cancel(runId),
    'remote.state': () => ok(backend.remote.state()),
    'remote.useCommands': ({ path }) => backend.remote.useCommands(path),
    'remote.stopCommands': () => backend.remote.stopCommands(),
    'remote.revoke': ({ peer }) => backend.remote.revoke(peer),
    'remote.confirm': ({ confirmId, allow }) => backend.remote.answer(confirmId, allow),
  };
}
