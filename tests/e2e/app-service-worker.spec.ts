import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSession, DIST, expect, flush, openApp, test } from './fixtures/app.ts';
import { spawnStaticServer } from './fixtures/server-process.ts';
import { startStaticServer } from '../../bench/app/static-server.ts';

test.describe('the installed app and its service worker', () => {
  test('with the server process stopped, a reload still opens the app, with its sessions, from the service worker', async ({ page, server: _built }) => {
    const server = await spawnStaticServer(DIST);
    try {
      await openApp(page, server.url);
      await expect(page.getByText('Ready to work offline.')).toBeVisible({ timeout: 20_000 });
      await createSession(page, 'Train ride');
      await page.getByRole('button', { name: '+ Synth track' }).click();
      await flush(page);
    } finally {
      await server.kill();
    }
    expect(server.child.signalCode).toBe('SIGKILL');
    // Nothing listens on the port any more.
    await expect(fetch(server.url).then(() => 'up', () => 'down')).resolves.toBe('down');

    await page.reload();
    await expect(page.locator('html[data-ready=true]')).toBeAttached({ timeout: 15_000 });
    await expect(page.getByRole('slider', { name: 'Synth 1 Gain' })).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The lazily loaded parts of the app shell come from the precache too.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Storage' })).toBeVisible();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test('a waiting new service worker brings up "Update available — Reload", and reloads only when asked', async ({ page, server: _built }) => {
    const server = await startStaticServer(DIST);
    try {
      await openApp(page, server.url);
      await expect(page.getByText('Ready to work offline.')).toBeVisible({ timeout: 20_000 });

      // A new release: sw.js changes (a new build's precache manifest would change the same way).
      const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
      server.override('/sw.js', `${sw}\n// release 2\n`);
      await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        await reg?.update();
      });
      const prompt = page.getByRole('status').filter({ hasText: 'Update available' });
      await expect(prompt).toBeVisible({ timeout: 20_000 });
      await expect(prompt.getByRole('button', { name: 'Reload' })).toBeEnabled();

      // It never reloads by itself.
      const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
      await page.waitForTimeout(1500);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker);

      // The user accepts: the new worker takes over and the page reloads once.
      await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
      await expect(page.locator('html[data-ready=true]')).toBeAttached();
      await expect(page.getByText('Update available')).toBeHidden();
      const waiting = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null);
      expect(waiting).toBeNull();
    } finally {
      await server.stop();
    }
  });
});
