/**
 * Inviting a device, as a new user does it the first time: the relay runs on
 * 127.0.0.1 (`npm start`'s default), so the dialog says plainly that a tablet
 * cannot open the link and how to make it reachable; the guest gets the name
 * typed in the dialog, and everyone sees that name instead of a guest id.
 */
import { expect } from '@playwright/test';
import { seriousViolations } from './fixtures/axe.ts';
import { relayTest as test } from './fixtures/sync-relay.ts';
import { invite, laptopWithFilter, status, tabletJoins } from './fixtures/sync-devices.ts';

test('an invite made on 127.0.0.1 warns that a tablet cannot open it and says how to fix it; the guest shows by the name given', async ({ browser, relay }) => {
  const laptop = await laptopWithFilter(browser, relay, 'Named guests');
  await laptop.page.getByRole('button', { name: 'Invite', exact: true }).click();
  await laptop.page.getByRole('textbox', { name: 'Name of the invited device' }).fill('Tablet');
  await laptop.page.getByRole('button', { name: 'Create link' }).click();
  const warning = laptop.page.getByRole('note');
  await expect(warning).toContainText('Another device cannot open this link');
  await expect(warning).toContainText('HOST=0.0.0.0');
  await expect(warning).toContainText('OUTBOARD_PUBLIC_URL');
  expect(await seriousViolations(laptop.page), 'invite dialog with the warning').toEqual([]);
  const url = await laptop.page.getByRole('textbox', { name: 'Invite link' }).inputValue();
  expect(new URL(url).searchParams.get('name')).toBe('Tablet');
  await laptop.page.getByRole('button', { name: 'Close invite' }).click();

  // On this machine the tablet is another browser on the same computer, so the link still opens.
  const tablet = await tabletJoins(browser, url);
  expect(tablet.page.url()).not.toContain('name=');
  const here = laptop.page.locator('ob-sync-status li');
  await expect(here).toHaveAttribute('title', 'Tablet');
  await expect(here).toContainText('Tablet');
  await tablet.page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(tablet.page.getByText(/^Tablet · guest_/)).toBeVisible();
  await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
});

test("a new browser opened with the admin link lists the relay's sessions beside its own, and opens one with a click", async ({ browser, relay }) => {
  const laptop = await laptopWithFilter(browser, relay, 'Made on the laptop');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${relay.url}/?token=${await relay.token('*', 'admin', 'admin')}`);
  await expect(page.locator('html[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(page.getByText('No sessions yet')).toBeVisible();
  const onRelay = page.getByRole('region', { name: 'On the relay, not on this device yet' });
  await onRelay.getByRole('button', { name: 'Open Made on the laptop from the relay' }).click();
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  await expect(page.locator('ob-app header .session')).toHaveText('Made on the laptop');
  await expect(page.getByRole('group', { name: 'Audio 1 channel' })).toBeVisible();
  // Now it is on this device: listed there, no longer offered from the relay.
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open Made on the laptop', exact: true })).toBeVisible();
  await expect(onRelay.getByRole('button', { name: 'Open Made on the laptop from the relay' })).toHaveCount(0);
  expect(await seriousViolations(page), 'sessions with the relay list').toEqual([]);
  await Promise.all([laptop.ctx.close(), ctx.close()]);
});

test('a viewer is offered nothing it cannot do: Add plugin looks disabled, no Rename, and offline it is still "view only"', async ({ browser, relay }) => {
  const laptop = await laptopWithFilter(browser, relay, 'Watch only');
  const viewer = await tabletJoins(browser, await invite(laptop.page, 'viewer'));
  const add = viewer.page.getByRole('combobox', { name: 'Add plugin' });
  await expect(add).toBeDisabled();
  expect(Number(await add.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(0.6);
  await viewer.page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(viewer.page.getByRole('button', { name: 'Open Watch only' })).toBeVisible();
  await expect(viewer.page.getByRole('button', { name: 'Rename Watch only' })).toHaveCount(0);
  await relay.stop();
  try {
    await expect(status(viewer.page)).toHaveText(/^Offline · saved · view only/, { timeout: 30_000 });
  } finally {
    await relay.start();
  }
  await Promise.all([laptop.ctx.close(), viewer.ctx.close()]);
});
