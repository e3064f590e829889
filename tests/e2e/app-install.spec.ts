import { expect, openApp, test } from './fixtures/app.ts';

test('the manifest makes the app installable: names, standalone display, theme, 192/512 and maskable icons', async ({ page, appUrl, request }) => {
  await openApp(page, appUrl);
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifest = await (await request.get(new URL(href!, appUrl).href)).json();
  expect(manifest).toMatchObject({ name: 'Outboard', short_name: 'Outboard', display: 'standalone', theme_color: '#0f1115', background_color: '#0f1115' });
  const icons = manifest.icons as { src: string; sizes: string; purpose?: string }[];
  expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(icons.some((i) => i.purpose === 'maskable')).toBe(true);
  for (const icon of icons) {
    const res = await request.get(new URL(icon.src, appUrl).href);
    expect(res.headers()['content-type']).toBe('image/png');
    const png = await res.body();
    const [w, h] = icon.sizes.split('x').map(Number);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
  }
});

test('an install button appears when the browser offers installation, and asks the browser to install', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await expect(page.getByRole('button', { name: 'Install app' })).toHaveCount(0);
  await page.evaluate(() => {
    const e = new Event('beforeinstallprompt', { cancelable: true }) as Event & { prompt(): Promise<void>; userChoice: Promise<{ outcome: string }> };
    (window as unknown as { prompted: boolean }).prompted = false;
    e.prompt = async () => void ((window as unknown as { prompted: boolean }).prompted = true);
    e.userChoice = Promise.resolve({ outcome: 'accepted' });
    dispatchEvent(e);
  });
  await page.getByRole('button', { name: 'Install app' }).click();
  expect(await page.evaluate(() => (window as unknown as { prompted: boolean }).prompted)).toBe(true);
  await expect(page.getByRole('button', { name: 'Install app' })).toHaveCount(0);
});

test.describe('on an iPhone', () => {
  test.use({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    viewport: { width: 390, height: 844 },
  });
  test('Settings explains Add to Home Screen, since iOS has no install prompt', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByText(/Add to Home Screen/)).toBeVisible();
    const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
