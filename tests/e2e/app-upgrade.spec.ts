import { expect, test } from './fixtures/app.ts';
import { writeFile } from 'node:fs/promises';
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

test('a database from a newer version is not opened: the app says why instead of a blank screen, and the data is left as it was', async ({ page, appUrl }) => {
  await page.goto(`${appUrl}/__blank`);
  await page.evaluate(() => new Promise<void>((resolve) => {
    const req = indexedDB.open('outboard', 7);
    req.onupgradeneeded = () => req.result.createObjectStore('sessions', { keyPath: 'id' }).put({ id: 'ses_next', name: 'Next year' });
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
  }));
  await page.goto(appUrl);
  await expect(page.getByRole('alert')).toContainText('saved by a newer version of Outboard');
  await expect(page.getByRole('alert')).toContainText('Nothing was changed');
  const raw = await page.evaluate(readRaw, 'ses_next');
  expect(raw.version).toBe(7);
  expect(raw.record).toEqual({ id: 'ses_next', name: 'Next year' });
});

test('importing a file whose session id belongs to a record this version cannot read keeps that record; the file opens as a new session', async ({ page, appUrl }, info) => {
  const future = { id: 'ses_future', name: 'From the future', doc: { format: 'outboard.session/9', id: 'ses_future' }, updated_at: 1, record_version: 3, extra: 'kept' };
  await page.goto(`${appUrl}/__blank`);
  await page.evaluate(writeVersion1Database);
  await page.goto(appUrl);
  await expect(page.locator('html[data-ready=true]')).toBeAttached();
  await page.evaluate((record) => new Promise<void>((resolve) => {
    const req = indexedDB.open('outboard');
    req.onsuccess = () => {
      const tx = req.result.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put(record);
      tx.oncomplete = () => {
        req.result.close();
        resolve();
      };
    };
  }), future);
  await page.reload();
  await expect(page.locator('html[data-ready=true]')).toBeAttached();
  await expect(page.getByText('ses_future (written by a newer version (record 3))')).toBeVisible();

  const file = info.outputPath('future.outboard.json');
  await writeFile(file, JSON.stringify({ format: 'outboard.session/1', id: 'ses_future', name: 'Imported', tempo_bpm: 120, tracks: [] }));
  await page.locator('ob-sessions-view input[type=file]').setInputFiles(file);
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  expect((await page.evaluate(readRaw, 'ses_future')).record).toEqual(future);
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open Imported' })).toBeVisible();
});
