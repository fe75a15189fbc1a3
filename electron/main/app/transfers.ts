/**
 * The app's side of file transfer (the Transfers tool): one FileTransferService per session of
 * the open link, files the window uploads (staged in a temporary folder, then sent to every
 * session of the link), offers from peers (asked, or accepted into the receive folder, or
 * refused), and the transfers list the window shows.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransferEvent } from '../../../shared/file-transfer/events.ts';
import type { EventMessage } from '../../../shared/ipc/contract.ts';
import {
  type IncomingOffer,
  type OfferAnswer,
  type ReceiveSettings,
  type TransferView,
  type TransfersSnapshot,
  type UploadChunk,
  type UploadStart,
} from '../../../shared/ipc/transfer.ts';
import { FILE_TRANSFER_LIMITS } from '../../../shared/limits.ts';
import { RefuseReason, type Offer } from '../../../shared/msp/file-transfer.ts';
import { MAX_PACKET_SIZE } from '../../../shared/msp/index.ts';
import { appError, fail, ok, type Result } from '../../../shared/result.ts';
import type { Session } from '../link/session.ts';
import { FileTransferService, chunkSizeFor, type ReceiveDecision } from '../link/services/file-transfer/file-transfer-service.ts';
import { ReceiveFolder } from '../link/services/file-transfer/receive-folder.ts';
import type { Service } from '../link/services/service.ts';
import type { UploadStaging } from './upload-staging.ts';

/** Offers waiting for an answer at once; more are declined (a peer cannot pile up questions). */
const MAX_PENDING_OFFERS = 8;

interface Asked {
  offer: IncomingOffer;
  answer(decision: ReceiveDecision): void;
}

export class TransferHub {
  private receive: TransfersSnapshot['receive'];
  private readonly views = new Map<string, TransferView>();
  /** Which service runs each transfer, and for a send the staged file and its session. */
  private readonly owners = new Map<string, { service: FileTransferService; path?: string }>();
  private readonly pausing = new Set<string>();
  private readonly asked = new Map<string, Asked>();
  /** "Always accept from this peer" for the open link: peer → folder. */
  private readonly alwaysFrom = new Map<string, string>();
  private nextId = 0;

  constructor(
    private readonly emit: (message: EventMessage) => void,
    receiveDir: string,
    /** The sessions of the open link (a client's one, a server's clients). */
    private readonly sessions: () => Session[],
    /** Where the window's files wait to be sent (shared with the X/Y/ZMODEM tool). */
    private readonly staging: UploadStaging,
  ) {
    this.receive = { mode: 'ask', folder: receiveDir };
  }

  /** The service factory for a link's sessions. */
  services = (link: { serialMaxPacket?: number }): ReadonlyArray<() => Service> => [
    () => {
      const service: FileTransferService = new FileTransferService({
        chunkSize: link.serialMaxPacket !== undefined ? chunkSizeFor(link.serialMaxPacket, true) : chunkSizeFor(MAX_PACKET_SIZE),
        receive: (offer, peer) => this.decide(offer, peer),
        onEvent: (event) => this.onEvent(event, service),
      });
      return service;
    },
  ];

  snapshot(): TransfersSnapshot {
    return { transfers: [...this.views.values()], offers: [...this.asked.values()].map((a) => a.offer), receive: this.receive };
  }

  setReceive(settings: ReceiveSettings): Result<TransfersSnapshot['receive']> {
    this.receive = { mode: settings.mode, folder: settings.folder ?? this.receive.folder };
    return ok(this.receive);
  }

  uploadStart(request: UploadStart): Promise<Result<{ uploadId: string }>> {
    return this.staging.start(request);
  }

  uploadChunk(piece: UploadChunk): Promise<Result<null>> {
    return this.staging.chunk(piece);
  }

  /** The upload is complete: send it to every session of the link. */
  async uploadFinish(uploadId: string): Promise<Result<{ keys: string[] }>> {
    const taken = await this.staging.take(uploadId);
    if (!taken.ok) return taken;
    const upload = taken.value;
    const targets = this.sessions().flatMap((session) => {
      const service = session.services.find('file-transfer');
      return service instanceof FileTransferService ? [{ service, peer: session.peer }] : [];
    });
    if (targets.length === 0) {
      await upload.discard();
      return fail(appError('APP_ERR_NOT_CONNECTED', 'Connect to a peer (or wait for a client) before sending a file.'));
    }
    const keys = targets.map(({ service, peer }) => this.startSend(service, upload.path, `s${++this.nextId}`, peer, upload.size));
    return ok({ keys });
  }

  /** A complete upload handed to its caller instead of sent to every session (the Remote tool's put-file). */
  async takeUpload(uploadId: string): Promise<Result<{ path: string; discard(): void }>> {
    const taken = await this.staging.take(uploadId);
    if (!taken.ok) return taken;
    const upload = taken.value;
    return ok({ path: upload.path, discard: () => void upload.discard() });
  }

  /** Where received files go now (the Remote tool's get-file lands there too). */
  get receiveFolder(): string {
    return this.receive.folder;
  }

  stop(key: string, how: 'cancelled' | 'paused'): Result<null> {
    const owner = this.owners.get(key);
    if (!owner) return fail(appError('APP_ERR_NO_TRANSFER', 'That transfer is over.'));
    if (how === 'paused') this.pausing.add(key);
    if (!owner.service.stop(key, how)) this.pausing.delete(key);
    return ok(null);
  }

  /** Sends a paused or dropped file again: the receiver resumes from its part file. */
  resume(key: string): Result<null> {
    const owner = this.owners.get(key);
    const view = this.views.get(key);
    if (!owner?.path || !view || view.state === 'running' || view.state === 'waiting') {
      return fail(appError('APP_ERR_NO_TRANSFER', 'That transfer cannot be resumed.'));
    }
    const session = this.sessions().find((s) => s.services.find('file-transfer') === owner.service);
    if (!session) return fail(appError('APP_ERR_NOT_CONNECTED', 'The session that carried this file is closed: connect again and send it again to resume.'));
    this.startSend(owner.service, owner.path, key, session.peer, view.size);
    return ok(null);
  }

  answer(answer: OfferAnswer): Result<null> {
    const asked = this.asked.get(answer.offerId);
    if (!asked) return fail(appError('APP_ERR_NO_TRANSFER', 'That offer is no longer waiting.'));
    this.asked.delete(answer.offerId);
    this.emitOffers();
    if (!answer.accept) {
      asked.answer({ refuse: RefuseReason.DECLINED });
      return ok(null);
    }
    const folder = answer.folder ?? asked.offer.folder;
    if (answer.always) this.alwaysFrom.set(asked.offer.peer, folder);
    void this.intoFolder(folder).then((decision) => asked.answer(decision));
    return ok(null);
  }

  /** The link closed: "always accept" ends with it, and waiting offers are declined. */
  linkClosed(): void {
    this.alwaysFrom.clear();
    for (const asked of this.asked.values()) asked.answer({ refuse: RefuseReason.DECLINED });
    this.asked.clear();
    this.emitOffers();
  }

  dispose(): void {
    this.linkClosed();
  }

  private startSend(service: FileTransferService, path: string, key: string, peer: string, size: number): string {
    const name = path.split(/[\\/]/).pop() ?? path;
    this.owners.set(key, { service, path });
    this.update({ key, dir: 'send', peer, name, size, bytes: this.views.get(key)?.bytes ?? 0, rateBytesPerSec: 0, state: 'waiting', resumable: false });
    void service.sendFile(path, key);
    return key;
  }

  private async decide(offer: Offer, peer: string): Promise<ReceiveDecision> {
    if (this.receive.mode === 'off') return { refuse: RefuseReason.RECEIVING_OFF };
    if (this.receive.mode === 'folder') return this.intoFolder(this.receive.folder);
    const always = this.alwaysFrom.get(peer);
    if (always !== undefined) return this.intoFolder(always);
    if (this.asked.size >= MAX_PENDING_OFFERS) return { refuse: RefuseReason.DECLINED };
    const offerId = `o${++this.nextId}`;
    const decision = await new Promise<ReceiveDecision>((resolve) => {
      const timer = setTimeout(() => {
        if (this.asked.delete(offerId)) this.emitOffers();
        resolve({ refuse: RefuseReason.DECLINED });
      }, FILE_TRANSFER_LIMITS.offerTimeoutMs - 5000);
      this.asked.set(offerId, {
        offer: { offerId, peer, name: offer.name, size: offer.size, folder: this.receive.folder },
        answer: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
      this.emitOffers();
    });
    return decision;
  }

  private async intoFolder(dir: string): Promise<ReceiveDecision> {
    const folder = await ReceiveFolder.open({ dir });
    return folder.ok ? { folder: folder.value } : { refuse: RefuseReason.IO_ERROR };
  }

  private onEvent(event: TransferEvent, service: FileTransferService): void {
    const t = event.transfer;
    const before = this.views.get(t.key);
    const base: TransferView = before
      ? { ...before, peer: t.peer, name: t.name, size: t.size }
      : { key: t.key, dir: t.dir, peer: t.peer, name: t.name, size: t.size, bytes: 0, rateBytesPerSec: 0, state: 'waiting', resumable: false };
    if (!this.owners.has(t.key)) this.owners.set(t.key, { service });
    const sendable = t.dir === 'send' && this.owners.get(t.key)?.path !== undefined;
    switch (event.kind) {
      case 'started':
        return this.update({ ...base, state: 'running', bytes: event.offset, resumable: false, error: undefined });
      case 'progress':
        return this.update({ ...base, state: 'running', bytes: event.bytes, rateBytesPerSec: event.rateBytesPerSec });
      case 'done':
        this.forgetSend(t.key);
        return this.update({ ...base, state: 'done', bytes: t.size, savedAs: event.savedAs, ...(t.dir === 'receive' ? { folder: event.folder ?? this.receive.folder } : {}), resumable: false });
      case 'failed': {
        const paused = this.pausing.delete(t.key);
        const resumable = sendable && (paused || event.code === 'FT_ERR_LINK' || event.code === 'FT_ERR_TIMEOUT');
        if (!resumable && t.dir === 'send') this.forgetSend(t.key);
        return this.update({ ...base, state: paused ? 'paused' : 'failed', error: { code: event.code, message: event.message }, resumable });
      }
    }
  }

  /** A send that is over for good: its staged copy goes. */
  private forgetSend(key: string): void {
    const path = this.owners.get(key)?.path;
    this.owners.delete(key);
    if (path) void rm(join(path, '..'), { recursive: true, force: true });
  }

  private update(view: TransferView): void {
    this.views.set(view.key, view);
    this.emit({ name: 'transfer.update', payload: view });
  }

  private emitOffers(): void {
    this.emit({ name: 'transfer.offers', payload: [...this.asked.values()].map((a) => a.offer) });
  }
}
