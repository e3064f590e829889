import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';
import { sendMidi, stubWebMidi } from '../../bench/app/web-midi-stub.ts';

test('two tabs on one session: each shows the other\'s edits, and neither save loses the other\'s', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Two windows');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await flush(page);
  const other = await page.context().newPage();
  await openApp(other, appUrl);
  await expect(other.getByRole('button', { name: 'Mute Synth 2' })).toBeVisible();

  // Each tab edits, in turn, with the other one's edit not yet saved by it.
  await page.getByRole('button', { name: 'Mute Synth 1' }).click();
  await expect(other.getByRole('button', { name: 'Mute Synth 1' })).toHaveAttribute('aria-pressed', 'true');
  await other.getByRole('button', { name: 'Mute Synth 2' }).click();
  await expect(page.getByRole('button', { name: 'Mute Synth 2' })).toHaveAttribute('aria-pressed', 'true');
  await other.getByRole('spinbutton', { name: 'Tempo in BPM' }).fill('97');
  await other.getByRole('spinbutton', { name: 'Tempo in BPM' }).press('Enter');
  await expect(page.getByRole('spinbutton', { name: 'Tempo in BPM' })).toHaveValue('97');
  await flush(other);
  await flush(page);

  for (const tab of [page, other]) {
    await tab.reload();
    await expect(tab.locator('html[data-ready=true]')).toBeAttached();
    await expect(tab.getByRole('button', { name: 'Mute Synth 1' })).toHaveAttribute('aria-pressed', 'true');
    await expect(tab.getByRole('button', { name: 'Mute Synth 2' })).toHaveAttribute('aria-pressed', 'true');
    await expect(tab.getByRole('spinbutton', { name: 'Tempo in BPM' })).toHaveValue('97');
  }
});

test('a session deleted in one tab is closed in the other, which says so and does not save it back', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Gone soon');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await flush(page);
  const other = await page.context().newPage();
  await openApp(other, appUrl);
  await expect(other.getByRole('button', { name: 'Mute Synth 1' })).toBeVisible();
  // An edit whose save is still waiting when the deletion comes.
  await other.getByRole('button', { name: 'Mute Synth 1' }).click();

  page.on('dialog', (d) => void d.accept());
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await page.getByRole('button', { name: 'Delete Gone soon' }).click();
  await expect(page.getByRole('button', { name: 'Open Gone soon' })).toHaveCount(0);

  await expect(other.getByRole('alert')).toContainText('deleted in another tab');
  await expect(other.getByRole('heading', { name: 'Mixer' })).toHaveCount(0);
  await flush(other);
  await other.reload();
  await expect(other.locator('html[data-ready=true]')).toBeAttached();
  await expect(other.getByRole('button', { name: 'Open Gone soon' })).toHaveCount(0);
  expect(await other.evaluate(() => new Promise<number>((resolve) => {
    const req = indexedDB.open('outboard');
    req.onsuccess = () => {
      const count = req.result.transaction('sessions').objectStore('sessions').count();
      count.onsuccess = () => resolve(count.result);
    };
  }))).toBe(0);
});

test('MIDI mappings learned in two tabs are both kept, and a preset saved in one tab is in the other\'s library', async ({ page, appUrl }) => {
  await stubWebMidi(page);
  await openApp(page, appUrl);
  await createSession(page, 'Mapped');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await flush(page);
  const other = await page.context().newPage();
  await stubWebMidi(other);
  await openApp(other, appUrl);

  for (const [tab, control, cc] of [[page, 'Synth 1 Pan', 10], [other, 'Synth 1 Gain', 7]] as const) {
    await tab.getByRole('button', { name: 'MIDI Learn' }).click();
    await tab.getByRole('slider', { name: control }).click();
    await sendMidi(tab, 0xb0, cc, 64);
    await expect(tab.getByRole('button', { name: new RegExp(`^Unmap CC ${cc} from Synth 1`) })).toBeVisible();
    await tab.getByRole('button', { name: 'Done' }).click();
  }
  await expect(page.getByRole('button', { name: 'Unmap CC 7 from Synth 1 · Gain' })).toBeVisible();
  for (const tab of [page, other]) {
    await tab.reload();
    await expect(tab.getByRole('button', { name: 'Unmap CC 10 from Synth 1 · Pan' })).toBeVisible();
    await expect(tab.getByRole('button', { name: 'Unmap CC 7 from Synth 1 · Gain' })).toBeVisible();
  }

  // The library is the device's: a tab on another session sees it too.
  await createSession(other, 'Elsewhere');
  await other.getByRole('link', { name: 'Presets', exact: true }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await page.getByRole('button', { name: 'Save Synth preset' }).click();
  await page.getByRole('textbox', { name: 'Preset name' }).fill('Round sub');
  await page.getByRole('button', { name: 'Save preset', exact: true }).click();
  await expect(other.getByRole('button', { name: 'Rename preset Round sub' })).toBeVisible();
});
