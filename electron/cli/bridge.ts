/** `msp --mode bridge`: MSP packets between a TCP side and a serial port, both sides printed. */
import { toHex } from '../../shared/msp/index.ts';
import { Bridge, type BridgeEvent } from '../main/link/bridge.ts';
import { describeLine } from '../main/link/serial-settings.ts';
import type { BridgeConfig } from './args.ts';
import { exitCodeFor } from './exit-code.ts';
import { interrupted } from './interrupted.ts';
import type { Printer } from './output.ts';
import { printSerialEvent, withSide } from './serial-output.ts';
import { printServerEvent } from './server.ts';
import { automationSessionOptions } from './automation-output.ts';

export async function runBridge(config: BridgeConfig, print: Printer): Promise<number> {
  const { serial } = config;
  const line = describeLine(serial.settings);
  const bridge = new Bridge({
    tcp:
      config.tcpRole === 'listen'
        ? { role: 'listen', host: config.host, port: config.port }
        : { role: 'connect', host: config.host, port: config.port },
    serial: { settings: serial.settings, reopen: serial.reopen, maxPacketSize: serial.maxPacketSize, packetGapMs: serial.packetGapMs },
    session: { frameTimeoutMs: config.frameTimeoutMs, ...automationSessionOptions(config.automation, print, config.quiet), ...(config.captureTap ? { capture: config.captureTap } : {}) },
    observer: (event) => printBridgeEvent(event, print, config.quiet, line),
  });
  const stopRequested = interrupted(); // before "listening" is printed: see interrupted.ts
  const started = await bridge.start();
  if (!started.ok) {
    print.error(`Error: ${started.error.message}`);
    return exitCodeFor(started.error);
  }
  const error = await Promise.race([bridge.stopped, stopRequested.then(() => undefined)]);
  await bridge.stop();
  if (error) {
    print.error(`Error: ${error.message}`);
    return 1;
  }
  return 0;
}

function printBridgeEvent(e: BridgeEvent, print: Printer, quiet: boolean, line: string): void {
  switch (e.kind) {
    case 'serial':
      return printSerialEvent(e.event, withSide(print, 'serial'), quiet, line);
    case 'tcp': {
      const t = e.event;
      const tcp = withSide(print, 'tcp');
      switch (t.kind) {
        case 'listening':
          return tcp.event('listening', { host: t.host, port: t.port }, `listening on ${t.host}:${t.port}`);
        case 'peer-open':
          return tcp.event('connected', { peer: t.peer }, `[${t.peer}] connected`);
        case 'peer-refused':
          return tcp.event('refused', { peer: t.peer, code: t.error.code, message: t.error.message }, t.error.message);
        case 'peer-closed':
          return tcp.event('disconnected', { peer: t.peer }, `[${t.peer}] disconnected`);
        case 'session':
          if (t.event.kind === 'closed' || (quiet && t.event.kind === 'packet')) return;
          return printServerEvent({ kind: 'session', clientId: 0, peer: t.peer, event: t.event }, tcp, quiet);
      }
      return;
    }
    case 'dropped':
      return print.event(
        'dropped',
        { from: e.from, code: e.error.code, message: e.error.message, hex: toHex(e.raw, '') },
        `${e.from} ${e.error.message}`,
      );
    case 'stopped':
      return print.event('stopped', {}, 'Bridge stopped');
  }
}
