import { expect, type Browser, type Page } from '@playwright/test';
import { appReady as ready } from './fixtures/app.ts';
import { relayTest } from './fixtures/sync-relay.ts';
import { invite, landing, laptopWithFilter, status, TABLET } from './fixtures/sync-devices.ts';

/**
 * The Surface view draws its meters only when levels change: while a page
 * has animation frames pending, Chromium aligns a finger's moves to its frames
 * (issue 11's drag latency), so with no audio host playing a surface asks for
 * no frames at all, and while one plays it draws one frame per METERS frame.
 */
const test = relayTest;

/** A socket as far as the count needs it. */
type Socket = new (url: string | URL, protocols?: string | string[]) => { addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void };
type Counted = Omit<Window, 'WebSocket'> & { __frames: number; __meters: number; WebSocket: Socket };

/** Counts the page's animation frame requests and the METERS frames its sockets receive. */
function countFramesAndMeters(): void {
  const w = window as unknown as Counted;
  w.__frames = 0;
  w.__meters = 0;
  const raf = w.requestAnimationFrame.bind(w);
  w.requestAnimationFrame = (callback) => {
    w.__frames += 1;
    return raf(callback);
  };
  const Original = w.WebSocket;
  w.WebSocket = class extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"type":"METERS"')) w.__meters += 1;
      });
    }
  };
}

const counts = (page: Page) => page.evaluate(() => {
  const w = window as unknown as Counted;
  const now = { frames: w.__frames, meters: w.__meters };
  w.__frames = 0;
  w.__meters = 0;
  return now;
});
const play = (page: Page) => page.getByRole('button', { name: 'Play', exact: true });

/** A laptop session named `name` and a tablet on its surface link, Synced, counting its frame requests and METERS arrivals. */
async function countedSurface(browser: Browser, relay: Parameters<typeof laptopWithFilter>[1], name: string) {
  const laptop = await laptopWithFilter(browser, relay, name);
  const link = await invite(laptop.page, 'editor');
  const ctx = await browser.newContext(TABLET);
  const tablet = await ctx.newPage();
  await tablet.addInitScript(countFramesAndMeters);
  await tablet.goto(link);
  await ready(tablet);
  await expect(landing(tablet, link)).toBeVisible();
  await expect(status(tablet)).toHaveText('Synced');
  return { laptop, ctx, tablet };
}

test('the surface requests animation frames only when the audio host\'s levels arrive', async ({ browser, relay }) => {
  const { laptop, ctx, tablet } = await countedSurface(browser, relay, 'Quiet surface');

  // Nothing plays: a second on the Surface view without a single frame request.
  await counts(tablet);
  await tablet.waitForTimeout(1000);
  expect(await counts(tablet)).toEqual({ frames: 0, meters: 0 });

  // The laptop plays: its levels arrive, and each arrival draws once (plus the frame after they stop).
  await play(laptop.page).click();
  await expect.poll(async () => (await tablet.evaluate(() => (window as unknown as Counted).__meters))).toBeGreaterThan(10);
  await laptop.page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(play(laptop.page)).toHaveAttribute('aria-pressed', 'false');
  // The levels stopped coming (the host sends until its tail is silent): the surface falls quiet again.
  await expect.poll(async () => {
    const { frames, meters } = await counts(tablet);
    return frames + meters;
  }, { intervals: [1000] }).toBe(0);
  await expect(tablet.getByRole('meter', { name: 'Master level' })).toHaveAttribute('aria-valuetext', 'silent');
  await Promise.all([laptop.ctx.close(), ctx.close()]);
});

test('while levels arrive, the surface draws no more frames than levels arrived', async ({ browser, relay }) => {
  const { laptop, ctx, tablet } = await countedSurface(browser, relay, 'Busy surface');
  await play(laptop.page).click();
  await expect.poll(async () => (await tablet.evaluate(() => (window as unknown as Counted).__meters))).toBeGreaterThan(0);
  await counts(tablet);
  await tablet.waitForTimeout(1000);
  const { frames, meters } = await counts(tablet);
  expect(meters).toBeGreaterThan(0);
  // One frame per arrival at most (arrivals within one frame share it), one more for a frame pending at the count's start.
  expect(frames).toBeLessThanOrEqual(meters + 1);
  expect(frames).toBeGreaterThan(0);
  await Promise.all([laptop.ctx.close(), ctx.close()]);
});
