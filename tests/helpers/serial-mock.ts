/** serialport's SerialPortMock behind our SerialDriver, keeping every port it made so tests can play the far end. */
import { SerialPortMock } from 'serialport';
import type { SerialDriver } from '../../electron/main/link/serial-port.ts';

export const MockBinding = SerialPortMock.binding;

export function mockSerialDriver(): { driver: SerialDriver; ports: SerialPortMock[] } {
  const ports: SerialPortMock[] = [];
  const driver: SerialDriver = {
    list: () => SerialPortMock.list(),
    async create(options) {
      const port = new SerialPortMock({ ...options, autoOpen: false });
      ports.push(port);
      return port;
    },
  };
  return { driver, ports };
}

/** The far end's view of the newest port: what we wrote, and a way to send us bytes. */
export function farEnd(ports: SerialPortMock[]) {
  const port = () => {
    const binding = ports.at(-1)?.port;
    if (!binding) throw new Error('no mock port is open');
    return binding;
  };
  return {
    /** Everything written to the port since it opened (needs createPort(path, { record: true })). */
    received: () => Buffer.from(port().recording),
    send: (bytes: Uint8Array | string) => port().emitData(Buffer.from(bytes)),
    binding: port,
  };
}
