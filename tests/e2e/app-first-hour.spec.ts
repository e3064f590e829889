/**
 * The first hour of a new user, where they stopped, guessed or lost
 * something (issue: "The first hour, tried as a new user would"). Each test
 * is one of those places, told as the user's story, through the names a
 * person sees.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { createSession, expect, openApp, test } from './fixtures/app.ts';

/** The focused element's accessible name, through shadow roots. */
const focusedName = (page: Page) => page.evaluate(() => {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? null;
});

test('a typed 999 BPM is refused with the allowed range shown, and the box keeps focus to correct it', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Tempo');
  const tempo = page.getByRole('spinbutton', { name: 'Tempo in BPM' });
  for (const typed of ['999', '0']) {
    await tempo.fill(typed);
    await tempo.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: 'Tempo must be 20–300 BPM' })).toBeVisible();
    await expect(tempo).toBeFocused();
    await expect(tempo).toHaveAttribute('aria-invalid', 'true');
  }
  await tempo.fill('128');
  await tempo.press('Enter');
  await expect(page.getByText('Tempo must be')).toHaveCount(0);
  await expect(tempo).toHaveValue('128');
});

test('"loud" typed into a gain box is refused with the reason next to it; the box stays open to correct it', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Gain');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  const gain = page.getByRole('slider', { name: 'Synth 1 Gain' });
  await gain.focus();
  await page.keyboard.press('Enter');
  const box = page.getByRole('textbox', { name: 'Synth 1 Gain value' });
  await box.fill('loud');
  await box.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '"loud" is not a value here' })).toContainText('-60 dB to 12 dB');
  await expect(box).toBeFocused();
  await box.fill('40 dB');
  await box.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Out of range' })).toBeVisible();
  await expect(gain).toHaveAttribute('aria-valuenow', '0');
  await box.fill('-6');
  await box.press('Enter');
  await expect(gain).toHaveAttribute('aria-valuenow', '-6');
  await expect(gain).toBeFocused();
});

test('a choice or a count typed between two steps ("1.5" for Waveform, "2.5" voices) is refused, not rounded to a neighbour', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Steps');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  const waveform = page.getByRole('slider', { name: 'Synth Waveform' });
  const before = await waveform.getAttribute('aria-valuenow');
  await waveform.focus();
  await page.keyboard.press('Enter');
  const box = page.getByRole('textbox', { name: 'Synth Waveform value' });
  await box.fill('1.5');
  await box.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '"1.5" is not a whole number' })).toContainText('one of saw, square, triangle, sine');
  await expect(box).toBeFocused();
  await box.press('Escape');
  await expect(waveform).toHaveAttribute('aria-valuenow', before!);
  const voices = page.getByRole('slider', { name: 'Synth Voices' });
  await voices.focus();
  await page.keyboard.press('Enter');
  const count = page.getByRole('textbox', { name: 'Synth Voices value' });
  await count.fill('2.5');
  await count.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '"2.5" is not a whole number' })).toContainText('a whole number from 1 to 16');
  await count.fill('triangle');
  await count.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '"triangle" is not a value here' })).toBeVisible();
  await count.fill('3');
  await count.press('Enter');
  await expect(voices).toHaveAttribute('aria-valuenow', '3');
});

test('a knob is one tab stop (Enter types a value), and opening a rack from the mixer lands on its first control', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Keys');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  const rack = page.getByRole('button', { name: 'Open the rack of Synth 1' });
  await rack.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Rack · Synth 1' })).toBeVisible();
  await expect.poll(() => focusedName(page)).toBe('Synth Waveform');
  // Tab goes from knob to knob, not through each knob's value box.
  await page.keyboard.press('Tab');
  await expect.poll(() => focusedName(page)).toBe('Synth Cutoff');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Synth Cutoff value' })).toBeFocused();
});

test('the preset menu shows the loaded preset, and "(modified)" once a param moves', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Presets');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('filter');
  const menu = page.getByRole('combobox', { name: 'Filter preset' });
  await expect(menu.locator('option:checked')).toHaveText('Presets…');
  const factory = (await menu.locator('optgroup[label=Factory] option').first().textContent())!;
  await menu.selectOption({ label: factory });
  await expect(menu.locator('option:checked')).toHaveText(`Preset: ${factory}`);
  const cutoff = page.getByRole('slider', { name: 'Filter Cutoff' });
  await cutoff.focus();
  await page.keyboard.press('PageUp');
  await expect(menu.locator('option:checked')).toHaveText(`Preset: ${factory} (modified)`);
});

test('a failed import says in plain words that the file is not a session, with details on demand, and goes on navigation', async ({ page, appUrl }, info) => {
  await openApp(page, appUrl);
  await createSession(page, 'Keeper');
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  const file = info.outputPath('notes.json');
  await writeFile(file, JSON.stringify({ title: 'shopping list', items: ['milk'] }));
  await page.locator('ob-sessions-view input[type=file]').setInputFiles(file);
  const notice = page.getByRole('alert').filter({ hasText: 'notes.json is not an Outboard session.' });
  await expect(notice).toBeVisible();
  const details = notice.getByText(/unsupported session format/);
  await expect(details).toBeHidden();
  await notice.getByText('Details').click();
  await expect(details).toBeVisible();
  await page.getByRole('button', { name: 'Open Keeper' }).click();
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  await expect(page.getByText('is not an Outboard session')).toHaveCount(0);
});

test('a session saved by a newer Outboard says so and how to open it, rather than "not an Outboard session"', async ({ page, appUrl }, info) => {
  await openApp(page, appUrl);
  await createSession(page, 'Keeper');
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  const file = info.outputPath('from-the-laptop.outboard.json');
  await writeFile(file, JSON.stringify({ format: 'outboard.session/2', id: 'ses_new', name: 'Gig', tracks: [] }));
  await page.locator('ob-sessions-view input[type=file]').setInputFiles(file);
  await expect(page.getByRole('alert').filter({ hasText: 'from-the-laptop.outboard.json was saved by a newer version of Outboard (outboard.session/2): update Outboard on this device to open it.' })).toBeVisible();
  await expect(page.getByText('is not an Outboard session')).toHaveCount(0);
});

test('Rename puts the cursor in the name field, with one Rename button on screen', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'First try');
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await page.getByRole('button', { name: 'Rename First try' }).click();
  const field = page.getByRole('textbox', { name: 'New name for First try' });
  await expect(field).toBeFocused();
  await expect(page.getByRole('button', { name: /^Rename/ })).toHaveCount(1);
  await page.keyboard.type('Second try');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Open Second try' })).toBeVisible();
});

test('removing a track needs no browser dialog, and Undo brings it back with its rack', async ({ page, appUrl }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openApp(page, appUrl);
  await createSession(page, 'Undo');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('delay');
  const time = page.getByRole('slider', { name: 'Delay Time' });
  await time.focus();
  await page.keyboard.press('End');
  const value = await time.getAttribute('aria-valuenow');
  await page.getByRole('link', { name: 'Mixer', exact: true }).click();
  await page.getByRole('button', { name: 'Remove Synth 1' }).click();
  await expect(page.getByRole('group', { name: 'Synth 1 channel' })).toHaveCount(0);
  await page.getByRole('status').filter({ hasText: 'Removed "Synth 1"' }).getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('group', { name: 'Synth 1 channel' })).toBeVisible();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await expect(page.getByRole('slider', { name: 'Delay Time' })).toHaveAttribute('aria-valuenow', value!);
  expect(dialogs).toBe(0);
});

test('"Ready to work offline" never covers a control, and goes by itself', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, appUrl);
  await createSession(page, 'Offline soon');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  const toast = page.getByText('Ready to work offline.');
  await expect(toast).toBeVisible({ timeout: 20_000 });
  const covered = await page.evaluate(() => {
    const host = document.querySelector('ob-app')!.shadowRoot!;
    const t = host.querySelector('ob-pwa-prompts')!.shadowRoot!.querySelector('.toast')!.getBoundingClientRect();
    const controls: Element[] = [];
    const walk = (root: Document | ShadowRoot) => root.querySelectorAll('*').forEach((el) => {
      if (el.matches('button, input, select, [role=slider]') && !el.closest('ob-pwa-prompts')) controls.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    });
    walk(document);
    return controls.map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent?.trim(), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top)
      .map(({ name }) => name).filter((name) => name !== 'OK');
  });
  expect(covered).toEqual([]);
  await expect(toast).toBeHidden({ timeout: 15_000 });
});

test('on a phone the header shows the session name and every tab on one line', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, appUrl);
  await createSession(page, 'Phone gig');
  await expect(page.locator('ob-app header .session')).toHaveText('Phone gig');
  await expect(page.locator('ob-app header .session')).toBeVisible();
  // The whole name, not an ellipsis.
  expect(await page.locator('ob-app header .session').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const tops = await page.getByRole('navigation', { name: 'Views' }).getByRole('link').evaluateAll((links) => links.map((a) => {
    const r = a.getBoundingClientRect();
    return { top: Math.round(r.top), inside: r.right <= innerWidth && r.left >= 0 };
  }));
  // Sessions, Mixer, Surface, Rack, Presets, Settings, Diagnostics.
  expect(tops).toHaveLength(7);
  expect(new Set(tops.map((t) => t.top)).size).toBe(1);
  expect(tops.every((t) => t.inside)).toBe(true);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
});

test('every "+ track" button stays on the mixer and hands focus to the new track\'s Rack button', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Three kinds');
  for (const [kind, name] of [['Synth', 'Synth 1'], ['Audio', 'Audio 1'], ['Input', 'Input 1']] as const) {
    await page.getByRole('button', { name: `+ ${kind} track` }).click();
    await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
    await expect(page.getByRole('group', { name: `${name} channel` })).toBeVisible();
    await expect.poll(() => focusedName(page)).toBe(`Open the rack of ${name}`);
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Rack · Input 1' })).toBeVisible();
});

test('after saving a preset or removing a plugin, focus stays in the rack: on Save, on the plugin that took its place, then on Add plugin', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Keyboard rack');
  await page.getByRole('button', { name: '+ Audio track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
  const add = page.getByRole('combobox', { name: 'Add plugin' });
  await add.selectOption('filter');
  await add.selectOption('delay');

  await page.getByRole('button', { name: 'Save Filter preset' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Preset name' })).toBeFocused();
  await page.keyboard.type('Dark');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedName(page)).toBe('Save Filter preset');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => focusedName(page)).toBe('Save Filter preset');

  await page.getByRole('button', { name: 'Remove Filter' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Filter' })).toHaveCount(0);
  await expect.poll(() => focusedName(page)).toBe('Delay Time');
  await page.getByRole('button', { name: 'Remove Delay' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Delay' })).toHaveCount(0);
  await expect.poll(() => focusedName(page)).toBe('Add plugin');
});

test('removing a track by keyboard lands on Undo; Undo lands on the restored track, Dismiss on the track now in its place', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Keyboard mixer');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: '+ Synth track' }).click();
  const undo = page.getByRole('status').filter({ hasText: 'Removed "Synth 1"' }).getByRole('button', { name: 'Undo' });

  await page.getByRole('button', { name: 'Remove Synth 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(undo).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('group', { name: 'Synth 1 channel' })).toBeVisible();
  await expect.poll(() => focusedName(page)).toBe('Open the rack of Synth 1');

  await page.getByRole('button', { name: 'Remove Synth 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(undo).toBeFocused();
  await page.keyboard.press('Tab');
  await expect.poll(() => focusedName(page)).toBe('Dismiss');
  await page.keyboard.press('Enter');
  await expect(undo).toHaveCount(0);
  await expect.poll(() => focusedName(page)).toBe('Open the rack of Synth 2');
});

test('a session file with a blank name opens as "Untitled session": every button in its row keeps a name', async ({ page, appUrl }, info) => {
  await openApp(page, appUrl);
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  const file = info.outputPath('blank.outboard.json');
  await writeFile(file, JSON.stringify({ format: 'outboard.session/1', id: 'blank_name', name: ' ', tracks: [] }));
  await page.locator('ob-sessions-view input[type=file]').setInputFiles(file);
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  await expect(page.locator('ob-app header .session')).toHaveText('Untitled session');
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  for (const name of ['Open', 'Rename', 'Duplicate', 'Delete']) {
    await expect(page.getByRole('button', { name: `${name} Untitled session`, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Export Untitled session as JSON', exact: true })).toBeVisible();
});
