/** Entry point of the headless CLI (`msp`, `npm run msp -- ...`): a drop-in for msp.py / msp-secure.py. */
import { parseCommandLine, USAGE, UsageError, type BridgeConfig, type ClientConfig, type Config, type ServerConfig } from './args.ts';
import { runBridge } from './bridge.ts';
import { runClient } from './client.ts';
import { makePrinter, type Printer } from './output.ts';
import { runListPorts } from './ports.ts';
import { runSerialClient } from './serial-client.ts';
import { runSerialServer } from './serial-server.ts';
import { runServer } from './server.ts';
import { askPassword } from './ask-password.ts';
import { runModem } from './modem.ts';
import { isModemConfig } from './modem-args.ts';

export async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`msp: ${error.message} (msp --help shows the flags)\n`);
    return 2;
  }
  if (config.mode === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (config.mode === 'list-ports') return runListPorts(makePrinter(config.json));
  // The capture code is loaded only when asked for: every other run starts as fast as before.
  if (config.mode === 'read') return (await import('./read-capture.ts')).runReadCapture(config, makePrinter(config.json));
  if (config.mode === 'replay') return (await import('./replay.ts')).runReplay(config, makePrinter(config.json));
  if (isModemConfig(config)) return runModem(config, makePrinter(config.json));
  if (config.askPassword) {
    const asked = await askPassword();
    if (!asked.ok) {
      process.stderr.write(`msp: ${asked.message}\n`);
      return 2;
    }
    config = { ...config, password: asked.password };
  }
  const print = makePrinter(config.json);
  // Loaded only when asked for: every other run of the CLI starts without them (and zod).
  if (config.mode === 'conform') return (await import('./conform.ts')).runConform(config, print);
  const capture = config.capture === undefined ? { config } : (await import('./capture-option.ts')).openCapture(config, print);
  if (capture === 'failed') return 2;
  try {
    return await runLink(capture.config, print);
  } finally {
    capture.recorder?.close();
  }
}

async function runLink(config: ServerConfig | ClientConfig | BridgeConfig, print: Printer): Promise<number> {
  if (config.mode === 'bridge') return runBridge(config, print);
  if (config.mode === 'client' && config.sequenceFile !== undefined) {
    return (await import('./sequence.ts')).runSequenceClient({ ...config, sequenceFile: config.sequenceFile }, print);
  }
  if (config.serial) {
    return config.mode === 'server' ? runSerialServer(config, config.serial, print) : runSerialClient(config, config.serial, print);
  }
  return config.mode === 'server' ? runServer(config, print) : runClient(config, print);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug gets here; say so in one line rather than a stack trace.
    process.stderr.write(`msp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
