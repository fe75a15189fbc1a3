/**
 * The IPC contract: every request the renderer can make (with the schema its argument
 * must pass and the value it answers with) and every event main sends. The names are
 * the channel names; only the preload (api.ts), main's IPC module and the test host's
 * bridge use them.
 */
import type { z } from 'zod';
import {
  autoAckSchema,
  clientIdSchema,
  copyTextSchema,
  externalUrlSchema,
  linkConfigSchema,
  noArgumentSchema,
  sendRequestSchema,
  settingsPatchSchema,
} from './schemas.ts';
import { forgetPasswordSchema, type SecretsInfo } from './security.ts';
import type { PacketLibrary } from '../automation/packets.ts';
import {
  packetsImportSchema,
  packetsSaveSchema,
  packetsSendSchema,
  sequenceControlSchema,
  sequenceRunSchema,
  type LoadedLibrary,
  type SequenceProgress,
} from './packets.ts';
import type { Settings } from './schemas.ts';
import { serialOpenSchema, serialSignalsSchema } from './serial.ts';
import { rulesFileSchema, type RulesStatus } from '../automation/rules.ts';
import {
  offerAnswerSchema,
  receiveSettingsSchema,
  transferKeySchema,
  transferStopSchema,
  uploadChunkSchema,
  uploadIdSchema,
  uploadStartSchema,
  type IncomingOffer,
  type TransferView,
  type TransfersSnapshot,
} from './transfer.ts';
import { modemReceiveSchema, modemSendSchema, type ModemRunView, type ModemSnapshot } from './modem.ts';
import {
  remoteCommandsFileSchema,
  remoteConfirmSchema,
  remotePutSchema,
  remoteRevokeSchema,
  remoteRunIdSchema,
  remoteRunSchema,
  type OfferedCommand,
  type RemoteHostState,
  type RemoteOutput,
  type RemoteRunEnd,
} from './remote.ts';
import type { SerialOptions, SerialPortEntry } from './serial.ts';
import type {
  AppSnapshot,
  ClientSummary,
  LinkStatus,
  RateSample,
  SendAccepted,
  SendProgress,
  TrafficEvent,
} from './types.ts';

/** Requests (renderer to main, `invoke`): the argument each one takes. */
export const requestSchemas = {
  'app.init': noArgumentSchema,
  'app.copyText': copyTextSchema,
  'app.openExternal': externalUrlSchema,
  'link.open': linkConfigSchema,
  'link.close': noArgumentSchema,
  'packet.send': sendRequestSchema,
  'packet.cancelSend': noArgumentSchema,
  'server.disconnect': clientIdSchema,
  'server.setAutoAck': autoAckSchema,
  'settings.save': settingsPatchSchema,
  'serial.options': noArgumentSchema,
  'serial.listPorts': noArgumentSchema,
  'serial.open': serialOpenSchema,
  'serial.setSignals': serialSignalsSchema,
  'secrets.forget': forgetPasswordSchema,
  'packets.load': noArgumentSchema,
  'packets.save': packetsSaveSchema,
  'packets.import': packetsImportSchema,
  'packets.send': packetsSendSchema,
  'sequence.run': sequenceRunSchema,
  'sequence.control': sequenceControlSchema,
  'automation.setRules': rulesFileSchema,
  'automation.status': noArgumentSchema,
  'transfer.snapshot': noArgumentSchema,
  'transfer.uploadStart': uploadStartSchema,
  'transfer.uploadChunk': uploadChunkSchema,
  'transfer.uploadFinish': uploadIdSchema,
  'transfer.stop': transferStopSchema,
  'transfer.resume': transferKeySchema,
  'transfer.answer': offerAnswerSchema,
  'transfer.setReceive': receiveSettingsSchema,
  'modem.snapshot': noArgumentSchema,
  'modem.send': modemSendSchema,
  'modem.receive': modemReceiveSchema,
  'modem.cancel': noArgumentSchema,
  'remote.list': noArgumentSchema,
  'remote.run': remoteRunSchema,
  'remote.putFile': remotePutSchema,
  'remote.cancel': remoteRunIdSchema,
  'remote.state': noArgumentSchema,
  'remote.useCommands': remoteCommandsFileSchema,
  'remote.stopCommands': noArgumentSchema,
  'remote.revoke': remoteRevokeSchema,
  'remote.confirm': remoteConfirmSchema,
} as const;

/** What each request answers with when it succeeds. */
export interface RequestValues {
  'app.init': AppSnapshot;
  'app.copyText': null;
  'app.openExternal': null;
  'link.open': LinkStatus;
  'link.close': LinkStatus;
  'packet.send': SendAccepted;
  'packet.cancelSend': null;
  'server.disconnect': null;
  'server.setAutoAck': boolean;
  'settings.save': Settings;
  'serial.options': SerialOptions;
  'serial.listPorts': SerialPortEntry[];
  /** Closing goes through link.close, like every link. */
  'serial.open': LinkStatus;
  'serial.setSignals': null;
  'secrets.forget': SecretsInfo;
  'packets.load': LoadedLibrary;
  'packets.save': PacketLibrary;
  'packets.import': PacketLibrary;
  'packets.send': null;
  'sequence.run': null;
  'sequence.control': null;
  'automation.setRules': RulesStatus;
  'automation.status': RulesStatus;
  'transfer.snapshot': TransfersSnapshot;
  'transfer.uploadStart': { uploadId: string };
  'transfer.uploadChunk': null;
  /** The keys of the transfers it started (one per session: a server sends to each client). */
  'transfer.uploadFinish': { keys: string[] };
  'transfer.stop': null;
  'transfer.resume': null;
  'transfer.answer': null;
  'transfer.setReceive': TransfersSnapshot['receive'];
  'modem.snapshot': ModemSnapshot;
  /** The run started (the line is open); its progress comes as modem.update. */
  'modem.send': { runId: number };
  'modem.receive': { runId: number };
  'modem.cancel': null;
  /** Controller: the connected server's commands (refused at once on a session without a password). */
  'remote.list': OfferedCommand[];
  /** Controller: the run started; its output and end come as remote.output / remote.end. */
  'remote.run': { runId: number };
  /** Controller: put-file of a staged upload; output and end come as for remote.run. */
  'remote.putFile': { runId: number };
  'remote.cancel': null;
  'remote.state': RemoteHostState;
  /** Controlled side: use this commands file for the next server started (with a password). */
  'remote.useCommands': RemoteHostState;
  'remote.stopCommands': RemoteHostState;
  'remote.revoke': RemoteHostState;
  'remote.confirm': RemoteHostState;
}

/** Events (main to renderer). High-rate traffic comes in batches, never one message per packet. */
export interface EventPayloads {
  'link.status': LinkStatus;
  'packet.traffic': TrafficEvent[];
  'packet.sendProgress': SendProgress;
  'server.clients': ClientSummary[];
  'stats.rates': RateSample;
  'sequence.progress': SequenceProgress;
  /** How often each rule fired, at most a few times a second while rules fire. */
  'automation.fired': RulesStatus;
  /** One transfer changed (at most every 100 ms each while running). */
  'transfer.update': TransferView;
  /** The offers waiting for the user's answer, whenever that list changes. */
  'transfer.offers': IncomingOffer[];
  /** The X/Y/ZMODEM run changed (progress at most every 100 ms). */
  'modem.update': ModemRunView;
  'remote.output': RemoteOutput;
  'remote.end': RemoteRunEnd;
  'remote.host': RemoteHostState;
}

export type RequestName = keyof typeof requestSchemas;
export type EventName = keyof EventPayloads;
/** The argument as the renderer passes it (defaults may be left out). */
export type RequestArg<K extends RequestName> = z.input<(typeof requestSchemas)[K]>;
/** The argument after validation, as main's handlers receive it. */
export type ValidRequestArg<K extends RequestName> = z.output<(typeof requestSchemas)[K]>;

export const REQUEST_NAMES = Object.keys(requestSchemas) as RequestName[];
/** Every event, once: `satisfies` makes a missing or unknown name a type error. */
const EVENTS = {
  'link.status': true,
  'packet.traffic': true,
  'packet.sendProgress': true,
  'server.clients': true,
  'stats.rates': true,
  'sequence.progress': true,
  'automation.fired': true,
  'transfer.update': true,
  'transfer.offers': true,
  'modem.update': true,
  'remote.output': true,
  'remote.end': true,
  'remote.host': true,
} as const satisfies Record<EventName, true>;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** An event on its way out of the backend. */
export type EventMessage = { [K in EventName]: { name: K; payload: EventPayloads[K] } }[EventName];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}
