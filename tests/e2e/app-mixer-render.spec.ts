import type { Page } from '@playwright/test';
import { createSession, expect, openApp, test } from './fixtures/app.ts';

/**
 * The shell's parts, counted by tag: none shows a fader's value. (The PWA
 * prompts are left out: they follow the service worker and their own timer,
 * never the session.)
 */
const SHELL = ['ob-app', 'ob-transport', 'ob-sync-status'];

/** The Lit updates counted since the last call, by who updated; the count starts again. */
async function takeRenders(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts = (window as unknown as { renders: Record<string, number> }).renders;
    const taken = { ...counts };
    for (const key of Object.keys(counts)) delete counts[key];
    return taken;
  });
}

test.describe('the mixer under a moving fader', () => {
  test('only the moved fader re-renders: not the shell, the transport, the status chip, the mixer, its strip, the other strips or sliders', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await createSession(page, 'Render');
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '+ Synth track' }).click();
    const fader = page.getByRole('slider', { name: 'Synth 2 Gain' });
    await expect(fader).toBeVisible();
    await expect(page.getByRole('slider', { name: 'Synth 3 Gain' })).toBeVisible();
    // Count Lit updates of the shell's parts (by tag), the mixer view, each strip (by track name) and each slider (by its accessible name), from here on.
    await page.evaluate((shell) => {
      const counts: Record<string, number> = {};
      (window as unknown as { renders: Record<string, number> }).renders = counts;
      for (const tag of ['ob-track-strip', 'ob-mixer-view', 'ob-slider', ...shell]) {
        const proto = customElements.get(tag)!.prototype as { update(changed: unknown): void };
        const update = proto.update;
        proto.update = function (this: { track?: { name: string }; context?: string; label?: string }, changed: unknown) {
          const who = shell.includes(tag) ? tag : tag === 'ob-mixer-view' ? 'mixer' : tag === 'ob-slider' ? `${this.context} ${this.label}` : (this.track?.name ?? '?');
          counts[who] = (counts[who] ?? 0) + 1;
          update.call(this, changed);
        };
      }
    }, SHELL);
    const box = (await fader.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(x, y + i * 4);
    await page.mouse.up();
    await expect.poll(async () => Number(await fader.getAttribute('aria-valuenow'))).toBeLessThan(-1);
    // The gesture's last value is saved: the save (and its event) happens too, and re-renders nothing either.
    await page.evaluate(() => window.outboard?.flush());
    const renders = await takeRenders(page);
    expect(renders['Synth 2 Gain']).toBeGreaterThanOrEqual(2);
    expect(Object.keys(renders)).toEqual(['Synth 2 Gain']);
    // A change the strip draws itself (mute) still renders that strip, and only it: not the shell either.
    await page.getByRole('button', { name: 'Mute Synth 2' }).click();
    await expect(page.getByRole('button', { name: 'Mute Synth 2' })).toHaveAttribute('aria-pressed', 'true');
    const afterMute = await takeRenders(page);
    expect(Object.keys(afterMute)).toContain('Synth 2');
    expect(Object.keys(afterMute).filter((k) => k.startsWith('Synth 1') || k.startsWith('Synth 3') || k === 'mixer' || SHELL.includes(k))).toEqual([]);
  });

  test('the shell and the transport re-render for what they show: the session name, the tempo, the shared transport', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await createSession(page, 'Shown');
    await page.getByRole('button', { name: '+ Synth track' }).click();
    await expect(page.getByRole('slider', { name: 'Synth 1 Gain' })).toBeVisible();
    await page.evaluate((shell) => {
      const counts: Record<string, number> = {};
      (window as unknown as { renders: Record<string, number> }).renders = counts;
      for (const tag of [...shell, 'ob-mixer-view']) {
        const proto = customElements.get(tag)!.prototype as { update(changed: unknown): void };
        const update = proto.update;
        proto.update = function (changed: unknown) {
          counts[tag] = (counts[tag] ?? 0) + 1;
          update.call(this, changed);
        };
      }
    }, SHELL);
    // A rename arriving in the session (as from another device, through the controller): the header shows it; the transport does not re-render.
    await page.evaluate(() => {
      const app = window.outboard!.app as unknown as { parts: { ctl: { dispatch(op: unknown): unknown } } };
      app.parts.ctl.dispatch({ id: 'op_rename', type: 'UPDATE_SESSION', data: { changes: { name: 'Shown again' } } });
    });
    await expect(page.locator('ob-app header .session')).toHaveText('Shown again');
    const afterRename = await takeRenders(page);
    expect(afterRename['ob-app']).toBeGreaterThanOrEqual(1);
    expect(afterRename['ob-transport']).toBeUndefined();
    // A new tempo: the transport shows it; the shell does not re-render.
    const tempo = page.getByRole('spinbutton', { name: 'Tempo in BPM' });
    await tempo.fill('133');
    await tempo.blur();
    await expect.poll(() => page.evaluate(() => (window.outboard!.app as unknown as { parts: { ctl: { doc: { tempo_bpm: number } } } }).parts.ctl.doc.tempo_bpm)).toBe(133);
    await expect(tempo).toHaveValue('133');
    const afterTempo = await takeRenders(page);
    expect(afterTempo['ob-transport']).toBeGreaterThanOrEqual(1);
    expect(afterTempo['ob-app']).toBeUndefined();
    // The shared transport, started from another device while this one has audio off: only the document says it plays, and Play shows pressed.
    await page.getByRole('switch', { name: 'Audio on this device' }).uncheck();
    await takeRenders(page);
    await page.evaluate(() => {
      const app = window.outboard!.app as unknown as { parts: { ctl: { dispatch(op: unknown): unknown } } };
      app.parts.ctl.dispatch({ id: 'op_play', type: 'UPDATE_SESSION', data: { changes: { playing: true, started_at: Date.now() } } });
    });
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'true');
    const afterPlay = await takeRenders(page);
    expect(afterPlay['ob-transport']).toBeGreaterThanOrEqual(1);
    expect(afterPlay['ob-app']).toBeUndefined();
  });
});
