/** The store's security choices: what `link.open` carries, and that the password goes nowhere else. */
import { describe, expect, it } from 'vitest';
import { linkConfigSchema } from '../../../shared/ipc/schemas.ts';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { fakeMain, SNAPSHOT } from '../../helpers/fakeApi.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));
const PASSWORD = 'p@ss w0rd';

async function setup(snapshot = SNAPSHOT) {
  const main = fakeMain(snapshot);
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  await flush();
  return { main, s: store.getState };
}

const lastOpen = (main: ReturnType<typeof fakeMain>) => main.requests.filter((r) => r.channel === 'link.open').at(-1)?.arg;

describe('store: security choices', () => {
  it('a typed password goes in link.open as MSP v3 (a valid request), and in no other request', async () => {
    const { main, s } = await setup();
    s().setClientSecurity({ password: PASSWORD });
    await s().openLink();
    const arg = lastOpen(main);
    expect(arg).toEqual({
      mode: 'client',
      host: '127.0.0.1',
      port: 9009,
      security: { password: { source: 'typed', value: PASSWORD, remember: false }, scheme: 'v3' },
    });
    expect(linkConfigSchema.safeParse(arg).success).toBe(true);
    const elsewhere = main.requests.filter((r) => r.channel !== 'link.open');
    expect(JSON.stringify(elsewhere)).not.toContain(PASSWORD);
  });

  it('the weak scheme only when picked; a client pin goes as typed; a server sends no-legacy and TLS', async () => {
    const { main, s } = await setup();
    s().setClientSecurity({ password: PASSWORD, scheme: 'legacy', tls: true, fingerprint: ' AB:CD ' });
    await s().openLink();
    expect(lastOpen(main)).toMatchObject({ security: { scheme: 'legacy', tls: { fingerprint: 'AB:CD' } } });
    s().setDraft({ mode: 'server' });
    s().setServerSecurity({ password: PASSWORD, allowLegacy: false, tls: true });
    await s().openLink();
    expect(lastOpen(main)).toMatchObject({ mode: 'server', security: { allowLegacy: false, tls: true } });
  });

  it('an empty field uses the remembered password (never known here); "remember" updates what the panel offers', async () => {
    const { main, s } = await setup({ ...SNAPSHOT, secrets: { available: true, remembered: { client: true, server: false } } });
    await s().openLink();
    expect(lastOpen(main)).toMatchObject({ security: { password: { source: 'remembered' } } });
    s().setDraft({ mode: 'server' });
    s().setServerSecurity({ password: PASSWORD, remember: true });
    await s().openLink();
    expect(s().secrets.remembered.server).toBe(true);
  });

  it('no password and no TLS: link.open is exactly as before (no security part)', async () => {
    const { main, s } = await setup();
    await s().openLink();
    expect(lastOpen(main)).toEqual({ mode: 'client', host: '127.0.0.1', port: 9009 });
  });
});
