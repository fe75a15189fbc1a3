/**
 * The workbench's own actions as built-in remote commands, so a headless machine can be driven:
 * send a message to an MSP server, start or stop a plain MSP responder on this machine. Each is
 * off unless the commands file turns it on (`builtins.workbench`). No password is ever a
 * parameter: arguments are written to the audit log, so these speak plain MSP only.
 */
import { utf8Encode } from '../../../../../shared/msp/index.ts';
import type { OfferedCommand } from '../../../../../shared/msp/remote-control.ts';
import { connectTcp } from '../../tcp-client.ts';
import { TcpServer } from '../../tcp-server.ts';
import type { LoadedParam } from './commands-loader.ts';
import type { Builtin } from './builtins.ts';

/** Responders at once, started by remote commands. */
const MAX_SERVERS = 4;
const HOST_PATTERN = '[A-Za-z0-9.:-]+';

const PORT = (min: number): LoadedParam => ({ name: 'port', description: 'TCP port.', type: 'integer', min, max: 65_535 });

export function workbenchBuiltins(config: { sendMessage: boolean; servers: boolean }): Builtin[] {
  const list: Builtin[] = [];
  if (config.sendMessage) {
    const params: LoadedParam[] = [
      { name: 'host', description: 'The MSP server (a name or an address).', type: 'string', pattern: HOST_PATTERN, maxLength: 253 },
      PORT(1),
      { name: 'text', description: 'The message, sent as one DATA.', type: 'string', pattern: '[^\\u0000]*', maxLength: 1000 },
    ];
    list.push({
      offered: offered('send-message', 'Sends one message (plain MSP) to a server and waits for its ACK.', params),
      params,
      run: async (args) => sendMessage(args.get('host') as string, Number(args.get('port')), args.get('text') as string),
    });
  }
  if (config.servers) {
    const servers = new Map<number, TcpServer>();
    const startParams: LoadedParam[] = [
      { name: 'bind', description: 'Listen on this machine only, or on every interface.', type: 'enum', values: ['127.0.0.1', '0.0.0.0'] },
      PORT(1024),
    ];
    list.push({
      offered: offered('start-server', 'Starts a plain MSP responder (ACKs every DATA) on this machine.', startParams),
      params: startParams,
      run: async (args) => {
        const port = Number(args.get('port'));
        if (servers.has(port)) return { stderr: `A responder already listens on port ${port}.\n` };
        if (servers.size >= MAX_SERVERS) return { stderr: `At most ${MAX_SERVERS} responders at once: stop one first.\n` };
        const server = new TcpServer({ host: args.get('bind') as string, port, session: { autoAck: true } });
        const started = await server.listen();
        if (!started.ok) return { stderr: `${started.error.message}\n` };
        servers.set(port, server);
        return { stdout: `Listening on ${started.host}:${started.port}\n` };
      },
      stop: () => {
        for (const server of servers.values()) void server.stop();
        servers.clear();
      },
    });
    list.push({
      offered: offered('stop-server', 'Stops a responder started by start-server.', [PORT(1024)]),
      params: [PORT(1024)],
      run: async (args) => {
        const port = Number(args.get('port'));
        const server = servers.get(port);
        if (!server) return { stderr: `No responder started here listens on port ${port}.\n` };
        servers.delete(port);
        await server.stop();
        return { stdout: `Stopped the responder on port ${port}.\n` };
      },
    });
  }
  return list;
}

async function sendMessage(host: string, port: number, text: string): Promise<{ stdout: string } | { stderr: string }> {
  const connected = await connectTcp({ host, port, connectTimeoutMs: 5000, session: { autoAck: true, ackTimeoutMs: 5000 } });
  if (!connected.ok) return { stderr: `${connected.error.message}\n` };
  try {
    const sent = await connected.session.sendMessage(utf8Encode(text));
    return sent.ok ? { stdout: `ACK from ${host}:${port} in ${(sent.rttMs ?? 0).toFixed(1)} ms\n` } : { stderr: `${sent.error.message}\n` };
  } finally {
    connected.session.close();
  }
}

function offered(name: string, description: string, params: LoadedParam[]): OfferedCommand {
  return {
    name,
    description,
    params: params.map((p) => (p.type === 'file' ? { name: p.name, description: p.description, type: 'file' as const } : { ...p })),
    confirm: false,
    timeoutSeconds: 0,
    maxOutputBytes: 64 * 1024,
    builtin: true,
  };
}
