import { expect, type Page } from '@playwright/test';
import { appReady as ready, flush } from './fixtures/app.ts';
import { relayTest as test } from './fixtures/sync-relay.ts';
import { invite, laptopWithFilter, status, TABLET } from './fixtures/sync-devices.ts';

/**
 * Where an invite opens, on a real relay with two browser contexts: a link
 * made for a control surface opens the Surface view with audio off; a link for
 * a collaborator's own device opens the Mixer with audio on. After that the
 * view and the audio switch are the device's own choice, kept across reloads.
 */

const audioSwitch = (page: Page) => page.getByRole('switch', { name: 'Audio on this device' });
const surfacePages = (page: Page) => page.getByRole('tablist', { name: 'Surface pages' });
const mixer = (page: Page) => page.getByRole('heading', { name: 'Mixer', exact: true });
const navLink = (page: Page, name: string) => page.getByRole('link', { name, exact: true });

/** Reloads once this device's writes are saved (a reload aborts an IndexedDB write in flight, as it does for a user who reloads within milliseconds of a click). */
async function reload(page: Page): Promise<void> {
  await flush(page);
  await page.reload();
  await ready(page);
  await expect(status(page)).toHaveText('Synced');
}

test('a surface invite opens the Surface view with audio off, and a reload keeps what the device chose since', async ({ browser, relay }) => {
  const laptop = await laptopWithFilter(browser, relay, 'Landing');
  const url = await invite(laptop.page, 'editor', false, 'surface');
  const ctx = await browser.newContext(TABLET);
  const tablet = await ctx.newPage();
  await tablet.goto(url);
  await ready(tablet);
  // The session is not on the tablet yet: it opens when the relay's snapshot arrives, on the Surface view.
  await expect(surfacePages(tablet)).toBeVisible();
  await expect(navLink(tablet, 'Surface')).toHaveAttribute('aria-current', 'page');
  await expect(tablet.getByRole('group', { name: 'Audio 1 channel' })).toBeVisible();
  await expect(audioSwitch(tablet)).not.toBeChecked();
  await expect(status(tablet)).toHaveText('Synced');
  // The inviting laptop stays where it was (the track's rack), with its audio on.
  await expect(navLink(laptop.page, 'Rack')).toHaveAttribute('aria-current', 'page');
  await expect(audioSwitch(laptop.page)).toBeChecked();

  await reload(tablet);
  await expect(surfacePages(tablet)).toBeVisible();
  await expect(audioSwitch(tablet)).not.toBeChecked();
  // Opened again from the home screen (the installed app's start URL: no view, no link in the address): a surface still.
  await tablet.goto(`${relay.url}/`);
  await ready(tablet);
  await expect(surfacePages(tablet)).toBeVisible();
  await expect(navLink(tablet, 'Surface')).toHaveAttribute('aria-current', 'page');

  // The device's own choice from now on: the Mixer, with audio on; a reload keeps both.
  await navLink(tablet, 'Mixer').click();
  await expect(mixer(tablet)).toBeVisible();
  await audioSwitch(tablet).click();
  await expect(audioSwitch(tablet)).toBeChecked();
  await reload(tablet);
  await expect(mixer(tablet)).toBeVisible();
  await expect(surfacePages(tablet)).toHaveCount(0);
  await expect(audioSwitch(tablet)).toBeChecked();
  await Promise.all([laptop.ctx.close(), ctx.close()]);
});

test("a collaborator's invite opens the Mixer with audio on, as before", async ({ browser, relay }) => {
  const laptop = await laptopWithFilter(browser, relay, 'Collaborate');
  const url = await invite(laptop.page, 'editor', false, 'device');
  expect(url).toContain('purpose=device');
  const ctx = await browser.newContext(TABLET);
  const device = await ctx.newPage();
  await device.goto(url);
  await ready(device);
  await expect(mixer(device)).toBeVisible();
  await expect(navLink(device, 'Mixer')).toHaveAttribute('aria-current', 'page');
  await expect(device.getByRole('group', { name: 'Audio 1 channel' })).toBeVisible();
  await expect(audioSwitch(device)).toBeChecked();
  await expect(status(device)).toHaveText('Synced');
  await reload(device);
  await expect(mixer(device)).toBeVisible();
  await expect(audioSwitch(device)).toBeChecked();
  await Promise.all([laptop.ctx.close(), ctx.close()]);
});
