/**
 * Settings -> Audio device: the musician picks where the sound goes
 * (AudioContext.setSinkId), and this device remembers it. Chromium's own
 * fake audio devices stand in for a sound card's outputs (this machine has none).
 */
import type { Page } from '@playwright/test';
import { chromiumPath } from '../../bench/chromium.mjs';
import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    ],
  },
});

/** Starts the audio (the engine exists once Play shows pressed). */
async function play(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Play', exact: true });
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}

test('the audio output is chosen in Settings, plays there at once, and is remembered on this device', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Two outputs');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await play(page);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const picker = page.getByRole('combobox', { name: 'Output device' });
  await expect(picker.locator('option')).toContainText(['System default', 'Fake Audio Output 1']);
  await expect(page.getByTestId('playing-on')).toHaveText('System default');
  await picker.selectOption({ label: 'Fake Audio Output 1' });
  await expect(page.getByTestId('playing-on')).toHaveText('Fake Audio Output 1');

  await flush(page);
  await page.reload();
  await expect(page.locator('html[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  await play(page);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Output device' }).locator('option:checked')).toHaveText('Fake Audio Output 1');
  await expect(page.getByTestId('playing-on')).toHaveText('Fake Audio Output 1');
});
