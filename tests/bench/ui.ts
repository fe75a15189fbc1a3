/**
 * `npm run bench:ui`: floods a connected UI with 50,000 packets and prints how long until
 * all of them are shown, and the longest the page's main thread was stalled meanwhile.
 *
 * The UI is the built renderer in Debian's Chromium, served by the browser tests' test
 * host (window.msp over a WebSocket to the real backend). The page is the server panel;
 * a plain TCP socket plays a client that writes 50,000 DATA packets as fast as the
 * server reads them. The server ACKs each one, so the log ends with 100,000 entries (fewer if
 * main had to drop some to keep its pace to the window: it says how many).
 * A script that prints figures, not a test: nothing here passes or fails on timing.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { AppPage } from '../e2e/helpers/appPage.ts';
import { findChromium, launchChromium } from '../e2e/helpers/chromium.ts';
import { buildForTestHost } from '../e2e/host/build.ts';
import { startTestHost } from '../e2e/host/server.ts';

const PACKETS = 50_000;
const PER_WRITE = 500;

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error('bench:ui needs Chromium (Debian package "chromium").');
  process.exit(2);
}

console.log('Building the renderer…');
const host = await startTestHost(await buildForTestHost());
const browser = await launchChromium(chromiumPath);
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const app = new AppPage(await context.newPage());
  await app.page.goto(host.url);
  await app.waitForApp();
  const port = await app.startServer();

  // Stall monitors: the longest gap between animation frames, and the browser's long tasks (> 50 ms).
  // Passed as source text: tsx would wrap a function's inner names in a helper the page lacks.
  await app.page.evaluate(`(() => {
    const bench = (window.bench = { maxFrameGap: 0, longTasks: [] });
    let last = performance.now();
    const frame = (now) => {
      bench.maxFrameGap = Math.max(bench.maxFrameGap, now - last);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  })()`);
  await app.page.waitForTimeout(300); // settle, so the monitors start from a quiet page

  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await once(socket, 'connect');
  socket.resume(); // read (and drop) the 50,000 ACKs
  const packets = Array.from({ length: PACKETS }, (_, i) =>
    encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(`bench #${i}`) }),
  );
  console.log(`Flooding the server panel with ${PACKETS.toLocaleString('en')} DATA packets…`);
  const started = performance.now();
  for (let i = 0; i < PACKETS; i += PER_WRITE) {
    if (!socket.write(Buffer.concat(packets.slice(i, i + PER_WRITE)))) await once(socket, 'drain');
  }
  const written = performance.now();
  await app.page.waitForFunction(
    // Shown: the log holds them all (or main said it dropped some under load) and the last row is on screen.
    // No inner functions: tsx would wrap them in a helper the page lacks.
    (expected) => {
      const held = Number(document.querySelector('[data-testid="log-count"]')?.getAttribute('data-count') ?? 0);
      const skipped = Number(document.querySelector('[data-testid="log-skipped"]')?.getAttribute('data-count') ?? 0);
      return held + skipped >= expected && document.querySelector(`[data-testid="log-row"][data-seq="${held}"]`) !== null;
    },
    PACKETS * 2,
    { polling: 100, timeout: 300_000 },
  );
  const shown = performance.now();
  const stats = (await app.page.evaluate('window.bench')) as { maxFrameGap: number; longTasks: number[] };
  const skipped = Number((await app.byTestId('log-skipped').count()) > 0 ? await app.byTestId('log-skipped').getAttribute('data-count') : 0);
  socket.destroy();

  const seconds = (shown - started) / 1000;
  const longest = stats.longTasks.length > 0 ? Math.max(...stats.longTasks) : 0;
  console.log('');
  console.log(`packets sent                 ${PACKETS.toLocaleString('en')} DATA in, ${PACKETS.toLocaleString('en')} ACK out (${(PACKETS * 2).toLocaleString('en')} log entries)`);
  console.log(`all written to the socket    ${(written - started).toFixed(0)} ms`);
  console.log(`all shown in the log         ${(shown - started).toFixed(0)} ms  (${Math.round(PACKETS / seconds).toLocaleString('en')} packets/s)`);
  console.log(`dropped by main under load   ${skipped.toLocaleString('en')} events (the pace: 1 MiB per 33 ms, 16 MiB waiting at most)`);
  console.log(`longest main-thread stall    ${stats.maxFrameGap.toFixed(0)} ms between two frames`);
  console.log(`long tasks (> 50 ms)         ${stats.longTasks.length}, the longest ${longest.toFixed(0)} ms`);
  console.log(`machine                      ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} (other work competes for them)`);
} finally {
  await browser.close();
  await host.close();
}
