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

/** Every record of the named stores of the app's database (runs in the page). */
function dumpStores(names: string[]): Promise<Record<string, unknown[]>> {
  return new Promise((resolve) => {
    const req = indexedDB.open('outboard');
    req.onsuccess = () => {
      const out: Record<string, unknown[]> = {};
      const tx = req.result.transaction(names);
      for (const name of names) {
        const all = tx.objectStore(name).getAll();
        all.onsuccess = () => {
          out[name] = all.result;
        };
      }
      tx.oncomplete = () => {
        req.result.close();
        resolve(out);
      };
    };
  });
}

test('a tab killed between an edit and the save of its document: on reopening, the edit is there (it was in the outbox)', async ({ page, browser, appUrl }) => {
  await page.clock.install();
  await openApp(page, appUrl);
  await createSession(page, 'Crashy');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await flush(page);
  // The document's save waits on a timer (a debounce); the outbox append does not. With the timers
  // stopped, the database holds what a tab killed in that instant leaves: the edits in the outbox only.
  await page.clock.pauseAt(Date.now() + 60_000);
  await page.getByRole('button', { name: 'Mute Synth 1' }).click();
  await page.getByRole('spinbutton', { name: 'Tempo in BPM' }).fill('88');
  await page.getByRole('spinbutton', { name: 'Tempo in BPM' }).press('Enter');
  await expect.poll(async () => (await page.evaluate(dumpStores, ['outbox'])).outbox!.length).toBe(3);
  const left = await page.evaluate(dumpStores, ['sessions', 'outbox', 'settings']);
  expect(left.sessions![0]).toMatchObject({ doc: { tempo_bpm: 120 } });

  // (A renderer crash through CDP takes Playwright's browser context with it, so the database the
  // killed tab left is written into a fresh context, record for record, and the app opens on it.)
  const context = await browser.newContext();
  const reopened = await context.newPage();
  await openApp(reopened, appUrl);
  await reopened.evaluate((stores) => new Promise<void>((resolve) => {
    const req = indexedDB.open('outboard');
    req.onsuccess = () => {
      const tx = req.result.transaction(Object.keys(stores), 'readwrite');
      for (const [name, rows] of Object.entries(stores)) {
        tx.objectStore(name).clear();
        for (const row of rows) tx.objectStore(name).put(row);
      }
      tx.oncomplete = () => {
        req.result.close();
        resolve();
      };
    };
  }), left);
  await openApp(reopened, appUrl);
  await expect(reopened.getByRole('button', { name: 'Mute Synth 1' })).toHaveAttribute('aria-pressed', 'true');
  await expect(reopened.getByRole('spinbutton', { name: 'Tempo in BPM' })).toHaveValue('88');
  // The document is written whole again (the relay's acks will take the edits out of the outbox), and the
  // outbox still holds them for the relay.
  await flush(reopened);
  const now = await reopened.evaluate(dumpStores, ['sessions', 'outbox']);
  expect(now.sessions![0]).toMatchObject({ doc: { tempo_bpm: 88, tracks: [{ mute: true }] } });
  expect(now.outbox).toHaveLength(3);
  await context.close();
});
