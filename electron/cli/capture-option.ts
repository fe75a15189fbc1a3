/** `--capture FILE`: opens the recorder for this process and hands its tap to the sessions (through the config). */
import { CaptureRecorder } from '../main/capture/capture-recorder.ts';
import type { BridgeConfig, ClientConfig, ServerConfig } from './args.ts';
import type { Printer } from './output.ts';

type LinkConfig = ServerConfig | ClientConfig | BridgeConfig;

/** The config with its captureTap set, and the recorder to close at the end; 'failed' when the file cannot be written. */
export function openCapture<C extends LinkConfig>(config: C, print: Printer): { config: C; recorder?: CaptureRecorder } | 'failed' {
  if (config.capture === undefined) return { config };
  const created = CaptureRecorder.create(config.capture, (message) => print.error(`Warning: ${message}`));
  if (!created.ok) {
    print.error(`Error: ${created.error.message}`);
    return 'failed';
  }
  // Which side of TCP we are: a bridge that connects is a client, one that listens a server.
  const role = config.mode === 'client' || (config.mode === 'bridge' && config.tcpRole === 'connect') ? 'client' : 'server';
  return { config: { ...config, captureTap: created.value.tap(role) }, recorder: created.value };
}
