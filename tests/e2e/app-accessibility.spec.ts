import { createSession, expect, openApp, screenshot, test } from './fixtures/app.ts';
import { seriousViolations } from './fixtures/axe.ts';
import { buildDemoSession } from './fixtures/demo-session.ts';

const VIEWS = ['Sessions', 'Mixer', 'Surface', 'Rack', 'Presets', 'Settings', 'Diagnostics'] as const;
const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;

test('every main view has no serious or critical axe violations, fits without sideways scrolling, and is photographed', async ({ page, appUrl }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(SIZES[0]);
  await openApp(page, appUrl);
  await buildDemoSession(page);
  // Park the pointer and dismiss the offline snackbar so screenshots show the app itself.
  await page.mouse.move(0, 0);
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const view of VIEWS) {
      await page.getByRole('link', { name: view, exact: true }).click();
      await expect(page.getByRole('link', { name: view, exact: true })).toHaveAttribute('aria-current', 'page');
      if (view === 'Rack') await page.getByRole('heading', { name: /Rack · / }).waitFor();
      const dismiss = page.getByRole('button', { name: 'OK' });
      if (await dismiss.isVisible()) await dismiss.click();
      expect(await seriousViolations(page), `${view} view at ${size.width}x${size.height}`).toEqual([]);
      const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);
      expect(overflow, `${view} at ${size.width}x${size.height} scrolls sideways`).toBeLessThanOrEqual(0);
      if (size.name === 'desktop' || view === 'Mixer' || view === 'Rack') {
        await page.mouse.move(0, 0);
        await screenshot(page, `${view.toLowerCase()}-${size.name}`);
      }
    }
  }
  // The phone layout's rack as well, with a synth's step grid.
  await page.setViewportSize(SIZES[0]);
  await page.getByRole('link', { name: 'Rack', exact: true }).click();
  await page.getByRole('navigation', { name: 'Tracks' }).getByRole('button', { name: /^Synth 1/ }).click();
  await expect(page.getByRole('group', { name: '16-step pattern' })).toBeVisible();
  expect(await seriousViolations(page), 'rack with step grid').toEqual([]);
  await screenshot(page, 'rack-synth-desktop');
});

test('the rack\'s track list says what its numbers count: "Synth 1, 2 plugins", not "Synth 1 2"', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Counts');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('delay');
  const tracks = page.getByRole('navigation', { name: 'Tracks' });
  await expect(tracks.getByRole('button', { name: 'Synth 1, 2 plugins', exact: true })).toBeVisible();
  await expect(tracks.getByRole('button', { name: 'Master, 0 plugins', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Remove Delay' }).click();
  await expect(tracks.getByRole('button', { name: 'Synth 1, 1 plugin', exact: true })).toBeVisible();
});
