import { expect, type Page } from '@playwright/test';
import { appReady as ready } from './fixtures/app.ts';
import { relayTest as test } from './fixtures/sync-relay.ts';
import { cutoffOf, invite, laptopWithFilter, status, TABLET } from './fixtures/sync-devices.ts';

/**
 * iOS closes a sleeping tablet's sockets; the surface must reconnect the
 * moment the screen wakes, not when its backoff timer says. Headless Chromium
 * never hides a page, so the page's visibility is driven the way the browser
 * reports it: `document.visibilityState` and a `visibilitychange` event on
 * the document (the very event the app listens to). The tablet's clock is
 * Playwright's, paused while the screen "sleeps": no timer can fire, so a
 * reconnect can only come from the wake-up itself.
 */

/** Runs in the page before the app: a settable visibility, and a count of the sockets the page opens. */
function controllableVisibility(): void {
  const w = window as unknown as { __visibility: DocumentVisibilityState; __sockets: number; __setVisibility(v: DocumentVisibilityState): void };
  w.__visibility = 'visible';
  w.__sockets = 0;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => w.__visibility });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => w.__visibility === 'hidden' });
  w.__setVisibility = (v) => {
    w.__visibility = v;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      w.__sockets += 1;
    }
  };
}

const setVisibility = (page: Page, v: DocumentVisibilityState) =>
  page.evaluate((value) => (window as unknown as { __setVisibility(v: DocumentVisibilityState): void }).__setVisibility(value), v);
const sockets = (page: Page) => page.evaluate(() => (window as unknown as { __sockets: number }).__sockets);

test('a surface whose socket closed while its screen slept reconnects at once when it wakes, without waiting for the backoff', async ({ browser, relay }) => {
  const laptop = await laptopWithFilter(browser, relay, 'Screen sleeps');
  const url = await invite(laptop.page, 'editor');
  const ctx = await browser.newContext(TABLET);
  const tablet = await ctx.newPage();
  await tablet.addInitScript(controllableVisibility);
  await tablet.clock.install();
  await tablet.goto(url);
  await ready(tablet);
  await tablet.getByRole('tab', { name: 'Audio 1' }).click();
  await expect(cutoffOf(tablet)).toBeVisible();
  await expect(status(tablet)).toHaveText('Synced');
  const opened = await sockets(tablet);

  // The screen sleeps; from now on the tablet's timers stand still.
  await tablet.clock.pauseAt(await tablet.evaluate(() => Date.now() + 1000));
  await setVisibility(tablet, 'hidden');
  // The relay goes away and comes back (the socket closes under the sleeping tablet), and the laptop edits meanwhile.
  await relay.stop();
  await expect(status(tablet)).not.toHaveText('Synced');
  await relay.start();
  await expect(status(laptop.page)).toHaveText('Synced', { timeout: 30_000 });
  const knob = cutoffOf(laptop.page);
  await knob.focus();
  for (let i = 0; i < 3; i += 1) await laptop.page.keyboard.press('PageUp');
  const moved = await knob.getAttribute('aria-valuenow');
  await expect.poll(async () => String((await relay.session(laptop.sessionId)).document.tracks[0]!.chain[0]!.params.cutoff)).toBe(moved);
  // Still asleep: the relay is back, but nothing has tried it (the backoff's timer cannot fire).
  expect(await sockets(tablet)).toBe(opened);
  await expect(status(tablet)).not.toHaveText('Synced');

  // The screen wakes: one new socket, synced, with the laptop's edit — and the clock still paused.
  await setVisibility(tablet, 'visible');
  await expect(status(tablet)).toHaveText('Synced');
  await expect(cutoffOf(tablet)).toHaveAttribute('aria-valuenow', moved!);
  expect(await sockets(tablet)).toBe(opened + 1);
  await Promise.all([laptop.ctx.close(), ctx.close()]);
});
