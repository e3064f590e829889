/**
 * Inviting a device, as a new user does it the first time: the relay runs on
 * 127.0.0.1 (`npm start`'s default), so the dialog says plainly that a tablet
 * cannot open the link and how to make it reachable; the guest gets the name
 * typed in the dialog, and everyone sees that name instead of a guest id.
 */
import { expect } from '@playwright/test';
import { seriousViolations } from './fixtures/axe.ts';
import { relayTest as test } from './fixtures/sync-relay.ts';
import { laptopWithFilter, tabletJoins } from './fixtures/sync-devices.ts';

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
