import { expect, openApp, screenshot, test } from './fixtures/app.ts';
import { seriousViolations } from './fixtures/axe.ts';
import { buildDemoSession } from './fixtures/demo-session.ts';

/** Phones and tablets, portrait and landscape (the touch sizes of issue 11). */
const SIZES = [
  { name: 'phone-portrait', width: 390, height: 844 },
  { name: 'phone-landscape', width: 844, height: 390 },
  { name: 'tablet-portrait', width: 768, height: 1024 },
  { name: 'tablet-landscape', width: 1024, height: 768 },
] as const;

/** Every target a finger can hit in the Surface view, with its size; the ones under 44 px. */
async function smallTargets(page: import('@playwright/test').Page) {
  const targets = page.locator('ob-surface-view').locator('button, [role=slider], [role=tab], input');
  const small: string[] = [];
  for (const t of await targets.all()) {
    if (!(await t.isVisible())) continue;
    const box = (await t.boundingBox())!;
    if (box.width < 44 || box.height < 44) small.push(`${await t.getAttribute('aria-label') ?? await t.textContent()}: ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return { count: await targets.count(), small };
}

test('the Surface view holds on phones and tablets in both orientations: no sideways scrolling, 44 px targets, axe clean', async ({ page, appUrl }) => {
  test.setTimeout(120_000);
  await openApp(page, appUrl);
  await buildDemoSession(page);
  await page.getByRole('link', { name: 'Surface', exact: true }).click();
  const tabs = page.getByRole('tablist', { name: 'Surface pages' });
  await expect(tabs.getByRole('tab', { name: 'All faders' })).toHaveAttribute('aria-selected', 'true');
  const trackTab = tabs.getByRole('tab').nth(1);
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const pageTab of [tabs.getByRole('tab', { name: 'All faders' }), trackTab]) {
      await pageTab.click();
      await expect(pageTab).toHaveAttribute('aria-selected', 'true');
      const where = `${await pageTab.textContent()} at ${size.width}x${size.height}`;
      const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);
      expect(overflow, `${where} scrolls sideways`).toBeLessThanOrEqual(0);
      const { count, small } = await smallTargets(page);
      expect(count).toBeGreaterThan(3);
      expect(small, `${where}: targets under 44 px`).toEqual([]);
      expect(await seriousViolations(page), where).toEqual([]);
    }
    await page.mouse.move(0, 0);
    await screenshot(page, `surface-${size.name}`);
  }
  // Arrow keys on the tabs turn the page, as a swipe does.
  await tabs.getByRole('tab', { name: 'All faders' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(trackTab).toHaveAttribute('aria-selected', 'true');
});
