import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

/**
 * Chromium's quota can be lowered through CDP (Storage.overrideQuotaForOrigin), but in Playwright's
 * browser contexts the override does not reach IndexedDB (a 4 MB write still lands), so a full disk is
 * simulated at the IndexedDB boundary: once `fillStorage()` is called, writes to the named stores throw
 * the QuotaExceededError the browser gives; `freeStorage()` makes room again.
 */
async function simulateFullStorage(page: import('@playwright/test').Page): Promise<void> {
  await page.addInitScript(() => {
    const full = new Set<string>();
    (window as unknown as { fillStorage(stores: string[]): void }).fillStorage = (stores) => stores.forEach((s) => full.add(s));
    (window as unknown as { freeStorage(): void }).freeStorage = () => full.clear();
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
        if (full.has(this.name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      };
    }
  });
}

test('an audio file imported when storage is full is refused with a clear message; the track and the saved session are unchanged', async ({ page, appUrl }) => {
  await simulateFullStorage(page);
  await openApp(page, appUrl);
  await createSession(page, 'Full disk');
  await page.getByRole('button', { name: '+ Audio track' }).click();
  await page.getByRole('button', { name: 'Mute Audio 1' }).click();
  await flush(page);

  await page.evaluate(() => (window as unknown as { fillStorage(stores: string[]): void }).fillStorage(['samples']));
  await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
  await page.locator('ob-source-editor input[type=file]').setInputFiles({ name: 'take.wav', mimeType: 'audio/wav', buffer: Buffer.alloc(3_000_000) });
  const alert = page.locator('ob-source-editor').getByRole('alert');
  await expect(alert).toContainText('take.wav (3.0 MB) was not added');
  await expect(alert).toContainText('storage for Outboard is full');
  await expect(page.getByText('Looping take.wav')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'None' })).toHaveAttribute('aria-checked', 'true');

  await flush(page);
  await page.reload();
  await expect(page.locator('html[data-ready=true]')).toBeAttached();
  await page.getByRole('link', { name: 'Mixer', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Mute Audio 1' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
  await expect(page.getByRole('radio', { name: 'None' })).toHaveAttribute('aria-checked', 'true');
});

test('a session save that finds storage full says so, and the edit is saved once there is room again', async ({ page, appUrl }) => {
  await simulateFullStorage(page);
  const uncaught: string[] = [];
  page.on('pageerror', (e) => uncaught.push(e.message));
  await openApp(page, appUrl);
  await createSession(page, 'Full disk');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await flush(page);

  await page.evaluate(() => (window as unknown as { fillStorage(stores: string[]): void }).fillStorage(['sessions', 'outbox']));
  await page.getByRole('button', { name: 'Mute Synth 1' }).click();
  // The save the page's hiding starts at once (not the debounced one) fails the same way.
  await flush(page);
  await expect(page.getByRole('alert')).toContainText('storage for Outboard is full');
  expect(uncaught).toEqual([]);

  await page.evaluate(() => (window as unknown as { freeStorage(): void }).freeStorage());
  await page.getByRole('spinbutton', { name: 'Tempo in BPM' }).fill('101');
  await page.getByRole('spinbutton', { name: 'Tempo in BPM' }).press('Enter');
  await flush(page);
  await page.reload();
  await expect(page.locator('html[data-ready=true]')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Mute Synth 1' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('spinbutton', { name: 'Tempo in BPM' })).toHaveValue('101');
});
