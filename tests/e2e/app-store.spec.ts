import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

test('persistent storage is requested once, after the first save, and Settings shows the storage used', async ({ page, appUrl }) => {
  await page.addInitScript(() => {
    const calls: number[] = [];
    (window as unknown as { persistCalls: number[] }).persistCalls = calls;
    navigator.storage.persist = async () => {
      calls.push(Date.now());
      return true;
    };
  });
  await openApp(page, appUrl);
  expect(await page.evaluate(() => (window as unknown as { persistCalls: number[] }).persistCalls.length)).toBe(0);
  await createSession(page, 'Keep me');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await flush(page);
  expect(await page.evaluate(() => (window as unknown as { persistCalls: number[] }).persistCalls.length)).toBe(1);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('storage-used')).toContainText(/MB of .*(MB|GB)/);
  await expect(page.getByRole('meter', { name: 'Storage used' })).toBeVisible();
  // Asked once per device, not on every save or every visit.
  await page.reload();
  await page.getByRole('link', { name: 'Mixer', exact: true }).click();
  await page.getByRole('button', { name: 'Mute Synth 1' }).click();
  await flush(page);
  expect(await page.evaluate(() => (window as unknown as { persistCalls: number[] }).persistCalls.length)).toBe(0);
});

test('when another tab needs a newer database, this tab closes its connection at once and says so', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Tab one');
  const other = await page.context().newPage();
  await other.goto(`${appUrl}/__blank`);
  // A newer release in the other tab opens version 99: not blocked, because the app let go.
  const outcome = await other.evaluate(() => new Promise<string>((resolve) => {
    const req = indexedDB.open('outboard', 99);
    req.onblocked = () => resolve('blocked');
    req.onsuccess = () => {
      req.result.close();
      resolve('opened');
    };
    req.onerror = () => resolve('error');
  }));
  expect(outcome).toBe('opened');
  await expect(page.getByRole('alert')).toContainText('updated in another tab');
});
