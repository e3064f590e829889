import { expect, test } from './fixtures/app.ts';
import { readRaw, writeHalfMigratedVersion2Database, writeVersion1Database } from './fixtures/db-v1.ts';

test('a database written by the first release is migrated; unreadable records are skipped with a warning', async ({ page, appUrl }) => {
  await page.goto(`${appUrl}/__blank`);
  await page.evaluate(writeVersion1Database);

  await page.goto(appUrl);
  await expect(page.locator('html[data-ready=true]')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Open Old demo' })).toContainText('2 tracks');
  const warning = page.getByRole('alert').filter({ hasText: 'could not be read' });
  await expect(warning).toContainText('2 saved records');
  await expect(warning).toContainText('ses_corrupt');
  await expect(warning).toContainText('ses_foreign');

  // The record was rewritten in the new shape, beside the new stores.
  const raw = await page.evaluate(readRaw, 'ses_legacy');
  expect(raw.version).toBe(3);
  expect(raw.stores).toEqual(expect.arrayContaining(['sessions', 'presets', 'settings', 'outbox', 'samples']));
  expect(raw.record).toMatchObject({ id: 'ses_legacy', name: 'Old demo', record_version: 2, updated_at: Date.parse('2025-03-04T05:06:07.000Z') });

  // And it opens with everything it held.
  await page.getByRole('button', { name: 'Open Old demo' }).click();
  await expect(page.getByRole('slider', { name: 'Keys Gain' })).toHaveAttribute('aria-valuenow', '-4.5');
  await expect(page.getByRole('spinbutton', { name: 'Tempo in BPM' })).toHaveValue('100');
  await page.getByRole('button', { name: 'Open the rack of Bass' }).click();
  await expect(page.getByRole('slider', { name: 'Filter Cutoff' })).toHaveAttribute('aria-valuenow', '440');

  // Opening again (the upgrade has run) changes nothing.
  await page.reload();
  await expect(page.getByRole('slider', { name: 'Filter Cutoff' })).toHaveAttribute('aria-valuenow', '440');
  const again = await page.evaluate(readRaw, 'ses_legacy');
  expect(again.version).toBe(3);
});

test('an upgrade that was cut short is safe to run again: existing stores are kept, old records still read', async ({ page, appUrl }) => {
  await page.goto(`${appUrl}/__blank`);
  await page.evaluate(writeHalfMigratedVersion2Database);
  await page.goto(appUrl);
  await expect(page.locator('html[data-ready=true]')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Open Not yet migrated' })).toContainText('1 track');
  await expect(page.getByRole('button', { name: 'Open Already migrated' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const raw = await page.evaluate(readRaw, 'ses_new');
  expect(raw.version).toBe(3);
  expect(raw.stores).toEqual(expect.arrayContaining(['outbox', 'samples']));
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await expect(page.getByText('Kept preset')).toBeVisible();
});
