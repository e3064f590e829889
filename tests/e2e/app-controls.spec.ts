import type { CDPSession, Locator } from '@playwright/test';
import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

test.use({ hasTouch: true, viewport: { width: 1024, height: 768 } });

type Point = { x: number; y: number };
const centre = async (l: Locator): Promise<Point> => {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};
const valueOf = async (l: Locator) => Number(await l.getAttribute('aria-valuenow'));

/** Real multi-touch through the DevTools protocol: each finger is a touch point with its own id. */
async function touch(cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', points: (Point & { id: number })[]) {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p) => ({ x: p.x, y: p.y, id: p.id })) });
}

test.describe('controls under fingers, mouse and keyboard', () => {
  test('two fingers ride two faders at once; each fader follows its own finger', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await createSession(page, 'Touch');
    await page.getByRole('button', { name: '+ Synth track' }).click();
    await page.getByRole('button', { name: '+ Synth track' }).click();
    const a = page.getByRole('slider', { name: 'Synth 1 Gain' });
    const b = page.getByRole('slider', { name: 'Synth 2 Gain' });
    const pa = await centre(a);
    const pb = await centre(b);
    const cdp = await page.context().newCDPSession(page);
    await touch(cdp, 'touchStart', [{ ...pa, id: 1 }, { ...pb, id: 2 }]);
    for (let i = 1; i <= 8; i++) {
      await touch(cdp, 'touchMove', [{ x: pa.x, y: pa.y + i * 8, id: 1 }, { x: pb.x, y: pb.y - i * 3, id: 2 }]);
    }
    await touch(cdp, 'touchEnd', []);
    // Finger 1 pulled its fader down, finger 2 pushed its own up: no jump, no cross-talk.
    expect(await valueOf(a)).toBeLessThan(-5);
    expect(await valueOf(b)).toBeGreaterThan(0);
    expect(await valueOf(b)).toBeLessThan(5);
  });

  test('a second finger on the same control makes it 10x finer; a double-tap resets it', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await createSession(page, 'Fine');
    await page.getByRole('button', { name: '+ Audio track' }).click();
    await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
    const add = page.getByRole('combobox', { name: 'Add plugin' });
    await add.selectOption('eq');
    const low = page.getByRole('slider', { name: 'EQ Low Gain' });
    const high = page.getByRole('slider', { name: 'EQ High Gain' });
    const cdp = await page.context().newCDPSession(page);

    // One finger, 44 px up: a fifth of the travel (48 dB range) = 9.6 dB.
    const ph = await centre(high);
    await touch(cdp, 'touchStart', [{ ...ph, id: 1 }]);
    for (let i = 1; i <= 4; i++) await touch(cdp, 'touchMove', [{ x: ph.x, y: ph.y - i * 11, id: 1 }]);
    await touch(cdp, 'touchEnd', []);
    expect(await valueOf(high)).toBeCloseTo(9.6, 1);

    // Same move with a second finger resting on the control: 0.96 dB.
    const pl = await centre(low);
    await touch(cdp, 'touchStart', [{ ...pl, id: 1 }]);
    await touch(cdp, 'touchStart', [{ ...pl, id: 1 }, { x: pl.x + 6, y: pl.y + 4, id: 2 }]);
    for (let i = 1; i <= 4; i++) await touch(cdp, 'touchMove', [{ x: pl.x, y: pl.y - i * 11, id: 1 }, { x: pl.x + 6, y: pl.y + 4, id: 2 }]);
    await touch(cdp, 'touchEnd', []);
    expect(await valueOf(low)).toBeCloseTo(0.96, 1);

    // Double-tap: back to the default.
    await high.tap();
    await high.tap();
    await expect(high).toHaveAttribute('aria-valuenow', '0');

    // Mouse wheel steps, finer with Shift.
    await low.hover();
    await page.mouse.wheel(0, -100);
    expect(await valueOf(low)).toBeCloseTo(0.96 + 0.48, 1);
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Shift');
    expect(await valueOf(low)).toBeCloseTo(0.96 + 0.48 + 0.048, 2);
  });

  test('a rack is edited: plugins reordered, bypassed, removed; the step grid and an audio file source are kept', async ({ page, appUrl }) => {
    await openApp(page, appUrl);
    await createSession(page, 'Rack work');
    await page.getByRole('button', { name: '+ Audio track' }).click();
    await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
    const add = page.getByRole('combobox', { name: 'Add plugin' });
    for (const type of ['filter', 'delay', 'reverb']) await add.selectOption(type);
    const order = () => page.locator('ob-plugin-panel h3').allTextContents();
    expect(await order()).toEqual(['Filter', 'Delay', 'Reverb']);
    await page.getByRole('button', { name: 'Move Reverb up' }).click();
    await expect.poll(order).toEqual(['Filter', 'Reverb', 'Delay']);
    await page.getByRole('button', { name: 'Remove Filter' }).click();
    await expect.poll(order).toEqual(['Reverb', 'Delay']);
    await page.getByRole('button', { name: 'Bypass Delay' }).click();
    await page.getByRole('slider', { name: 'Filter Mode' }).waitFor({ state: 'detached' });

    // An audio file source: a tiny WAV made here.
    const wav = makeWav(8000, 800);
    await page.locator('ob-source-editor input[type=file]').setInputFiles({ name: 'click.wav', mimeType: 'audio/wav', buffer: wav });
    await expect(page.getByText('Looping click.wav')).toBeVisible();

    // A synth track's pattern.
    await page.getByRole('link', { name: 'Mixer', exact: true }).click();
    await page.getByRole('button', { name: '+ Synth track' }).click();
    await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
    await page.getByRole('button', { name: 'Step 2, rest' }).click();
    const step2 = page.getByRole('button', { name: /^Step 2, / });
    await expect(step2).toHaveAttribute('aria-pressed', 'true');
    await expect(step2).toHaveAccessibleName('Step 2, C3');
    await step2.press('ArrowUp');
    await step2.press('Shift+ArrowUp');
    await expect(step2).toHaveAccessibleName('Step 2, C♯4');
    await page.getByRole('button', { name: /^Step 1, / }).click();
    await expect(page.getByRole('button', { name: 'Step 1, rest' })).toHaveAttribute('aria-pressed', 'false');

    await flush(page);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Step 2, C♯4' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('button', { name: 'Step 1, rest' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Tracks' }).getByRole('button', { name: /^Audio 1/ }).click();
    await expect.poll(order).toEqual(['Reverb', 'Delay']);
    await expect(page.getByRole('button', { name: 'Bypass Delay' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByText('Looping click.wav')).toBeVisible();
    // The file itself is on the device, for offline playback.
    const stored = await page.evaluate(() => new Promise<number>((resolve) => {
      const req = indexedDB.open('outboard');
      req.onsuccess = () => {
        const count = req.result.transaction('samples').objectStore('samples').count();
        count.onsuccess = () => resolve(count.result);
      };
    }));
    expect(stored).toBe(1);
  });
});

/** A mono 16-bit WAV of `frames` samples of a decaying click. */
function makeWav(rate: number, frames: number): Buffer {
  const buf = Buffer.alloc(44 + frames * 2);
  buf.write('RIFF', 0, 'latin1'); buf.writeUInt32LE(36 + frames * 2, 4); buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1'); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24); buf.writeUInt32LE(rate * 2, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1'); buf.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames; i++) buf.writeInt16LE(Math.round(Math.sin(i / 3) * Math.exp(-i / 100) * 20000), 44 + i * 2);
  return buf;
}
