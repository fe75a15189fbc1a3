/** Entry point of the headless CLI (`msp`, `npm run msp -- ...`): a drop-in for msp.py / msp-secure.py. */
import { parseCommandLine, USAGE, UsageError, type Config } from './args.ts';
import { runBridge } from './bridge.ts';
import { runClient } from './client.ts';
import { makePrinter } from './output.ts';
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
  if (config.mode === 'bridge') return runBridge(config, print);
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
