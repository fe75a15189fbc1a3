/** `msp --mode server --serial PATH`: a responder on a serial port that ACKs DATA like the original server. */
import { SerialLink } from '../main/link/serial-link.ts';
import { describeLine } from '../main/link/serial-settings.ts';
import type { ServerConfig } from './args.ts';
import { exitCodeFor } from './exit-code.ts';
import { interrupted } from './interrupted.ts';
import type { Printer } from './output.ts';
import type { SerialConfig } from './serial-args.ts';
import { printSerialEvent } from './serial-output.ts';
import { serverSecurityFromFlags } from './server-security.ts';
import { automationSessionOptions } from './automation-output.ts';
import { openReceiveFolder, transferServiceFactory } from './transfer.ts';

export async function runSerialServer(config: ServerConfig, serial: SerialConfig, print: Printer): Promise<number> {
  const line = describeLine(serial.settings);
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  void interrupted().then(() => finish(0)); // before "open" is printed: see interrupted.ts
  // As on the TCP server: MSP v3 with a password, and msp-secure.py's scheme only with --legacy.
  const folder = await openReceiveFolder(config.transfer, print);
  if (folder === 'failed') return 2;
  const { security, version } = serverSecurityFromFlags(config, print);
  const link = new SerialLink({
    settings: serial.settings,
    reopen: serial.reopen,
    // One peer getting the password wrong must not stop the responder: the next try uses the same wire.
    renewSessionOnFailure: true,
    session: {
      autoAck: true,
      version,
      security,
      frameTimeoutMs: config.frameTimeoutMs,
      maxPacketSize: serial.maxPacketSize,
      packetGapMs: serial.packetGapMs,
      traffic: !config.quiet,
      ...automationSessionOptions(config.automation, print, config.quiet),
      ...(config.captureTap ? { capture: config.captureTap } : {}),
      // --receive-dir: files offered over the line land there (chunks sized for a serial line).
      ...(folder ? { services: [transferServiceFactory(config.transfer, folder, print, config.json, serial.maxPacketSize, true)] } : {}),
    },
    observer: (event) => {
      printSerialEvent(event, print, config.quiet, line);
      if (event.kind === 'state' && event.state === 'disconnected' && !event.reopening) {
        print.error(`Error: ${event.error?.message ?? `Serial port ${link.path} was disconnected.`}`);
        finish(1);
      }
    },
  });
  const opened = await link.open();
  if (!opened.ok) {
    print.error(`Error: ${opened.error.message}`);
    return exitCodeFor(opened.error);
  }
  const code = await finished;
  await link.close();
  return code;
}
