// MIDI controllers in the real app, in real Chromium, on real IndexedDB.
//
// THE ONE MOCK: there is no MIDI hardware on a test machine, so
// `navigator.requestMIDIAccess` is replaced, before the app loads, by a stub
// (bench/app/web-midi-stub.ts) with one input that delivers the messages the
// test sends as `midimessage` events. The app uses only the standard Web MIDI
// API, so it cannot tell the stub from a controller.
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';
import { seriousViolations } from './fixtures/axe.ts';
import { sendMidi as send, stubWebMidi, STUB_CONTROLLER as CONTROLLER } from '../../bench/app/web-midi-stub.ts';
import { GESTURE_END_MS } from '../../src/app/midi/midi-control.ts';

async function setUp(page: Page, appUrl: string, name: string): Promise<void> {
  await stubWebMidi(page);
  await openApp(page, appUrl);
  await createSession(page, name);
  await page.getByRole('button', { name: '+ Synth track' }).click();
}

/** Learn mode: choose `control`, move hardware CC `cc`, and see its badge. */
async function learn(page: Page, control: string, cc: number): Promise<void> {
  await page.getByRole('slider', { name: control }).click();
  await expect(page.getByRole('status').filter({ hasText: 'MIDI learn' })).toContainText(`Move a knob, fader or pad for Synth 1`);
  await send(page, 0xb0, cc, 64);
  await expect(page.getByRole('button', { name: new RegExp(`^Unmap CC ${cc} from Synth 1`) })).toBeVisible();
}

test.describe('MIDI controllers', () => {
  test('learn: choose a control, move a knob, the badge shows its CC; then the knob moves the value, and the mapping survives a reload', async ({ page, appUrl }) => {
    await setUp(page, appUrl, 'Learn');
    await page.getByRole('button', { name: 'MIDI Learn' }).click();
    await expect(page.getByRole('button', { name: 'MIDI Learn' })).toHaveAttribute('aria-pressed', 'true');
    await learn(page, 'Synth 1 Pan', 10);
    // Still learning: the next control maps too, and so does a toggle from a pad.
    await learn(page, 'Synth 1 Gain', 7);
    await page.getByRole('button', { name: 'Mute Synth 1' }).click();
    await send(page, 0x99, 36, 100);
    await expect(page.getByRole('button', { name: 'Unmap Note 36 ch 10 from Synth 1 · Mute' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Mute Synth 1' })).toHaveAttribute('aria-pressed', 'false');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();

    const pan = page.getByRole('slider', { name: 'Synth 1 Pan' });
    await send(page, 0xb0, 10, 64); // at the value (centre): picked up
    await send(page, 0xb0, 10, 127);
    await expect(pan).toHaveAttribute('aria-valuenow', '1');
    await send(page, 0x99, 36, 100);
    await expect(page.getByRole('button', { name: 'Mute Synth 1' })).toHaveAttribute('aria-pressed', 'true');

    await flush(page);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Unmap CC 10 from Synth 1 · Pan' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Unmap CC 7 from Synth 1 · Gain' })).toBeVisible();
    // Unmap from the badge.
    await page.getByRole('button', { name: 'Unmap CC 7 from Synth 1 · Gain' }).click();
    await expect(page.getByRole('button', { name: /^Unmap CC 7/ })).toHaveCount(0);
  });

  test('a track removed by mistake and brought back with Undo keeps its mappings: the badges return and the knobs move it', async ({ page, appUrl }) => {
    await setUp(page, appUrl, 'Undo');
    await page.getByRole('button', { name: 'MIDI Learn' }).click();
    await learn(page, 'Synth 1 Pan', 10);
    await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
    await learn(page, 'Synth Cutoff', 74);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'Mixer', exact: true }).click();

    await page.getByRole('button', { name: 'Remove Synth 1' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByRole('button', { name: 'Unmap CC 10 from Synth 1 · Pan' })).toBeVisible();
    const pan = page.getByRole('slider', { name: 'Synth 1 Pan' });
    await send(page, 0xb0, 10, 64);
    await send(page, 0xb0, 10, 127);
    await expect(pan).toHaveAttribute('aria-valuenow', '1');
    // The plugin's param follows its new id too.
    await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
    await expect(page.getByRole('button', { name: 'Unmap CC 74 from Synth 1 · Synth Cutoff' })).toBeVisible();
    const cutoff = page.getByRole('slider', { name: 'Synth Cutoff' });
    const before = await cutoff.getAttribute('aria-valuenow');
    await send(page, 0xb0, 74, 0);
    await send(page, 0xb0, 74, 127);
    await expect(cutoff).not.toHaveAttribute('aria-valuenow', before!);
  });

  test('a master fade on the controller right before opening the next song stays in the song it faded: the next one opens at its own level', async ({ page, appUrl }) => {
    await stubWebMidi(page);
    await openApp(page, appUrl);
    await createSession(page, 'Song 2');
    await createSession(page, 'Song 1');
    const master = page.getByRole('slider', { name: 'Master Gain' });
    await page.getByRole('button', { name: 'MIDI Learn' }).click();
    await master.click();
    await send(page, 0xb0, 7, 88);
    await expect(page.getByRole('button', { name: 'Unmap CC 7 from Master · Gain' })).toBeVisible();
    await page.getByRole('button', { name: 'Done' }).click();
    // On the song list, the knob fades Song 1 out (88/127 is the fader's 0 dB: picked up, then all the way
    // down), and the next song opens at once: the knob's resting value is not durable yet.
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    for (let v = 88; v >= 0; v -= 8) await send(page, 0xb0, 7, v);
    await page.getByRole('button', { name: 'Open Song 2' }).click();
    await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
    await expect(master).toHaveAttribute('aria-valuenow', '0');
    // Not a synchronisation: the knob's rest (GESTURE_END_MS) has passed, when its durable value used to land in this song.
    await page.waitForTimeout(GESTURE_END_MS * 2);
    await expect(master).toHaveAttribute('aria-valuenow', '0');
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await page.getByRole('button', { name: 'Open Song 1' }).click();
    await expect(master).toHaveAttribute('aria-valuenow', '-60');
  });

  test('pick-up: a knob far from the value does nothing (a ghost shows where it is) until it crosses the value', async ({ page, appUrl }) => {
    await setUp(page, appUrl, 'Pick-up');
    await page.getByRole('button', { name: 'MIDI Learn' }).click();
    const gain = page.getByRole('slider', { name: 'Synth 1 Gain' });
    await learn(page, 'Synth 1 Gain', 7);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(gain).toHaveAttribute('aria-valuenow', '0');

    await send(page, 0xb0, 7, 0);
    await send(page, 0xb0, 7, 20);
    await expect(gain).toHaveAttribute('aria-description', /MIDI control at 16%/);
    await expect(gain).toHaveAttribute('aria-valuenow', '0');
    await send(page, 0xb0, 7, 60);
    await expect(gain).toHaveAttribute('aria-valuenow', '0');
    // 0 dB sits at 69% of the fader's travel; 100/127 crosses it: the knob has the value now.
    await send(page, 0xb0, 7, 100);
    await expect(gain).not.toHaveAttribute('aria-valuenow', '0');
    await expect(gain).not.toHaveAttribute('aria-description', /MIDI control/);
    await send(page, 0xb0, 7, 127);
    await expect(gain).toHaveAttribute('aria-valuenow', '12');
  });

  test('export, clear and import restore the mappings; a bad file is refused with a clear message and changes nothing', async ({ page, appUrl }) => {
    await setUp(page, appUrl, 'Files');
    await page.getByRole('button', { name: 'MIDI Learn' }).click();
    await learn(page, 'Synth 1 Pan', 10);
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const card = page.locator('ob-midi-card');
    await expect(card.getByRole('region', { name: `Mappings of ${CONTROLLER}` })).toContainText('CC 10');
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Export mappings' }).click()]);
    const exported = join(tmpdir(), `outboard-midi-${process.pid}-${Date.now()}.json`);
    await download.saveAs(exported);
    const file = JSON.parse(await readFile(exported, 'utf8'));
    expect(file).toMatchObject({ format: 'outboard.midi-mappings/1', controllers: [{ name: CONTROLLER, mappings: [{ source: { kind: 'cc', cc: 10 }, target: { kind: 'track', field: 'pan' } }] }] });

    await card.getByRole('button', { name: 'Clear mappings' }).click();
    await expect(card.getByText('No mappings yet.')).toBeVisible();

    const bad = join(tmpdir(), `outboard-midi-bad-${process.pid}-${Date.now()}.json`);
    await writeFile(bad, JSON.stringify({ ...file, controllers: [{ name: CONTROLLER, mappings: [{ ...file.controllers[0].mappings[0], takeover: 'snap' }] }] }));
    await card.getByLabel('Import mappings').setInputFiles(bad);
    await expect(card.getByRole('alert')).toContainText(/Not a MIDI mapping file: controllers\.0\.mappings\.0\.takeover.*Nothing was changed/);
    await expect(card.getByText('No mappings yet.')).toBeVisible();

    await card.getByLabel('Import mappings').setInputFiles(exported);
    await expect(card.getByRole('status').filter({ hasText: 'Imported' })).toContainText(`Imported 1 mappings for ${CONTROLLER}`);
    await page.getByRole('link', { name: 'Mixer', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Unmap CC 10 from Synth 1 · Pan' })).toBeVisible();
    await send(page, 0xb0, 10, 64);
    await send(page, 0xb0, 10, 0);
    await expect(page.getByRole('slider', { name: 'Synth 1 Pan' })).toHaveAttribute('aria-valuenow', '-1');
  });

  test('a MIDI keyboard still plays the synth while the same controller\'s knobs are mapped', async ({ page, appUrl }) => {
    await setUp(page, appUrl, 'Keys');
    await page.getByRole('button', { name: 'MIDI Learn' }).click();
    await learn(page, 'Synth 1 Pan', 10);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
    await page.getByRole('button', { name: 'Use MIDI keyboard' }).click();
    await expect(page.getByText(`Playing from ${CONTROLLER}`)).toBeVisible();
    const peak = () => page.evaluate(() => Math.max(-120, ...Object.values(window.outboard?.levels() ?? {})));
    await expect.poll(peak, { timeout: 10_000 }).toBeLessThan(-59);
    await send(page, 0x90, 60, 110);
    await expect.poll(peak, { timeout: 10_000 }).toBeGreaterThan(-40);
    await send(page, 0x80, 60, 0);
    // The knob on the same input still moves its control.
    await page.getByRole('link', { name: 'Mixer', exact: true }).click();
    await send(page, 0xb0, 10, 64);
    await send(page, 0xb0, 10, 127);
    await expect(page.getByRole('slider', { name: 'Synth 1 Pan' })).toHaveAttribute('aria-valuenow', '1');
  });
});
