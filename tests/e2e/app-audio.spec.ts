import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSession, DIST, expect, flush, openApp, screenshot, test } from './fixtures/app.ts';
import { spawnStaticServer } from './fixtures/server-process.ts';
import { startStaticServer } from '../../bench/app/static-server.ts';

test('Play starts the engine from the app: meters move, Stop stops, Export WAV downloads a file, Settings shows the device', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page, appUrl);
  await createSession(page, 'First sound');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 2' }).click();
  await page.getByRole('combobox', { name: 'Synth preset' }).selectOption({ label: 'Sub bass' });
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('reverb');
  await page.getByRole('link', { name: 'Mixer', exact: true }).click();
  const pan = page.getByRole('slider', { name: 'Synth 1 Pan' });
  await pan.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const meter = page.getByRole('meter', { name: 'Synth 1 level' });
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(-40);
  const ok = page.getByRole('button', { name: 'OK' });
  if (await ok.isVisible()) await ok.click();
  await page.mouse.move(0, 0);
  await screenshot(page, 'mixer-playing');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('meter', { name: 'Master level' })).not.toHaveAttribute('aria-valuenow', '-60.0');

  // A mixer change reaches the engine: muting the master bus silences its meter.
  await page.getByRole('button', { name: 'Mute Master' }).click();
  await expect.poll(async () => Number(await page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeLessThanOrEqual(-59);
  await page.getByRole('button', { name: 'Mute Master' }).click();

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'false');

  // The on-screen keys play the synth with the transport stopped.
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  const key = page.getByRole('button', { name: 'Play C4' });
  const peak = () => page.evaluate(() => Math.max(-120, ...Object.values(window.outboard?.levels() ?? {})));
  await expect.poll(peak, { timeout: 10_000 }).toBeLessThan(-59);
  await key.hover();
  await page.mouse.down();
  await expect.poll(peak, { timeout: 10_000 }).toBeGreaterThan(-40);
  await page.mouse.up();
  await page.getByRole('link', { name: 'Mixer', exact: true }).click();

  const download = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByRole('button', { name: /Export WAV/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('First-sound.wav');
  const bytes = await (await file.createReadStream()).toArray();
  const head = Buffer.concat(bytes).subarray(0, 12).toString('latin1');
  expect(head.startsWith('RIFF') && head.endsWith('WAVE')).toBe(true);

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByText(/\d{5} Hz/)).toBeVisible();
  await expect(page.getByText('shared memory (SharedArrayBuffer)')).toBeVisible();
});

test('an update never reloads during playback: Reload waits until Stop', async ({ page, server: _built }) => {
  const server = await startStaticServer(DIST);
  try {
    await openApp(page, server.url);
    await expect(page.getByText('Ready to work offline.')).toBeVisible({ timeout: 20_000 });
    await createSession(page, 'Live set');
    await page.getByRole('button', { name: '+ Synth track' }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'true');

    server.override('/sw.js', `${await readFile(join(DIST, 'sw.js'), 'utf8')}\n// release 2\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByRole('status').filter({ hasText: 'Update available' });
    await expect(prompt).toContainText('stop playback to reload', { timeout: 20_000 });
    await expect(prompt.getByRole('button', { name: 'Reload' })).toBeDisabled();

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(prompt.getByRole('button', { name: 'Reload' })).toBeEnabled();
  } finally {
    await server.stop();
  }
});

test('offline, with the server process killed, Play still makes sound: the engine, worklet and wasm come from the precache', async ({ page, server: _built }) => {
  const server = await spawnStaticServer(DIST);
  try {
    await openApp(page, server.url);
    await expect(page.getByText('Ready to work offline.')).toBeVisible({ timeout: 20_000 });
    await createSession(page, 'Offline sound');
    await page.getByRole('button', { name: '+ Synth track' }).click();
    await flush(page);
  } finally {
    await server.kill();
  }
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(cached.some((u) => /engine-processor.*\.js$/.test(u))).toBe(true);

  await page.reload();
  await expect(page.locator('html[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(async () => Number(await page.getByRole('meter', { name: 'Synth 1 level' }).getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThan(-40);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

test('a file that is not audio, picked as a track\'s source, is named as undecodable when Play starts the engine', async ({ page, appUrl }, info) => {
  await openApp(page, appUrl);
  await createSession(page, 'Not audio');
  await page.getByRole('button', { name: '+ Audio track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
  const file = info.outputPath('notes.wav');
  await writeFile(file, 'shopping list: milk');
  await page.locator('ob-source-editor input[type=file]').setInputFiles(file);
  await expect(page.getByText('Looping notes.wav')).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Could not decode notes.wav' })).toBeVisible();
});
