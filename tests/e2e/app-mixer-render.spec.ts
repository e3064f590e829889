import { createSession, expect, openApp, test } from './fixtures/app.ts';

test.describe('the mixer under a moving fader', () => {
  test('only the moved fader re-renders: not the mixer, not its strip, not the other strips or sliders', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await createSession(page, 'Render');
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '+ Synth track' }).click();
    const fader = page.getByRole('slider', { name: 'Synth 2 Gain' });
    await expect(fader).toBeVisible();
    await expect(page.getByRole('slider', { name: 'Synth 3 Gain' })).toBeVisible();
    // Count Lit updates of the mixer view, of each strip (by track name) and of each slider (by its accessible name), from here on.
    await page.evaluate(() => {
      const counts: Record<string, number> = {};
      (window as unknown as { renders: Record<string, number> }).renders = counts;
      for (const tag of ['ob-track-strip', 'ob-mixer-view', 'ob-slider']) {
        const proto = customElements.get(tag)!.prototype as { update(changed: unknown): void };
        const update = proto.update;
        proto.update = function (this: { track?: { name: string }; context?: string; label?: string }, changed: unknown) {
          const who = tag === 'ob-mixer-view' ? 'mixer' : tag === 'ob-slider' ? `${this.context} ${this.label}` : (this.track?.name ?? '?');
          counts[who] = (counts[who] ?? 0) + 1;
          update.call(this, changed);
        };
      }
    });
    const box = (await fader.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(x, y + i * 4);
    await page.mouse.up();
    await expect.poll(async () => Number(await fader.getAttribute('aria-valuenow'))).toBeLessThan(-1);
    const renders = await page.evaluate(() => (window as unknown as { renders: Record<string, number> }).renders);
    expect(renders['Synth 2 Gain']).toBeGreaterThanOrEqual(2);
    expect(Object.keys(renders)).toEqual(['Synth 2 Gain']);
    // A change the strip draws itself (mute) still renders that strip, and only it.
    await page.evaluate(() => {
      const counts = (window as unknown as { renders: Record<string, number> }).renders;
      for (const key of Object.keys(counts)) delete counts[key];
    });
    await page.getByRole('button', { name: 'Mute Synth 2' }).click();
    await expect(page.getByRole('button', { name: 'Mute Synth 2' })).toHaveAttribute('aria-pressed', 'true');
    const afterMute = await page.evaluate(() => (window as unknown as { renders: Record<string, number> }).renders);
    expect(Object.keys(afterMute)).toContain('Synth 2');
    expect(Object.keys(afterMute).filter((k) => k.startsWith('Synth 1') || k.startsWith('Synth 3') || k === 'mixer')).toEqual([]);
  });
});
