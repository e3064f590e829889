import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

test('a musician loads a factory preset, saves their own, loads it back, and it survives a reload', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page, appUrl);
  await createSession(page, 'Bass ideas');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();

  const presetMenu = page.getByRole('combobox', { name: 'Synth preset' });
  const cutoff = page.getByRole('slider', { name: 'Synth Cutoff' });
  const release = page.getByRole('slider', { name: 'Synth Release' });

  // Factory preset.
  await presetMenu.selectOption({ label: 'Pluck' });
  await expect(cutoff).toHaveAttribute('aria-valuenow', '3000');
  await expect(cutoff).toHaveAttribute('aria-valuetext', '3.00 kHz');

  // Tweak, save as a user preset.
  await page.getByRole('button', { name: 'Type a value for Synth Cutoff' }).click();
  await page.getByRole('textbox', { name: 'Synth Cutoff value' }).fill('420');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Type a value for Synth Release' }).click();
  await page.getByRole('textbox', { name: 'Synth Release value' }).fill('1.5 s');
  await page.keyboard.press('Enter');
  await expect(release).toHaveAttribute('aria-valuenow', '1500');
  await page.getByRole('button', { name: 'Save Synth preset' }).click();
  await page.getByRole('textbox', { name: 'Preset name' }).fill('Round sub');
  await page.getByRole('button', { name: 'Save preset', exact: true }).click();

  // Move away from it, then load it.
  await presetMenu.selectOption({ label: 'Acid lead' });
  await expect(cutoff).toHaveAttribute('aria-valuenow', '900');
  await presetMenu.selectOption({ label: 'Round sub' });
  await expect(cutoff).toHaveAttribute('aria-valuenow', '420');
  await expect(release).toHaveAttribute('aria-valuenow', '1500');

  await flush(page);
  await page.reload();
  await expect(page.locator('html[data-ready=true]')).toBeAttached();

  // Still there: the values, the preset in the menu, and in the Presets view.
  await expect(cutoff).toHaveAttribute('aria-valuenow', '420');
  await presetMenu.selectOption({ label: 'Warm pad' });
  await expect(cutoff).toHaveAttribute('aria-valuenow', '1800');
  await presetMenu.selectOption({ label: 'Round sub' });
  await expect(cutoff).toHaveAttribute('aria-valuenow', '420');

  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await expect(page.getByText('Round sub')).toBeVisible();
  await page.getByRole('button', { name: 'Rename preset Round sub' }).click();
  await page.getByRole('textbox', { name: 'Preset name' }).fill('Deep sub');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(page.getByText('Deep sub')).toBeVisible();
  await flush(page);
  await page.reload();
  await expect(page.getByText('Deep sub')).toBeVisible();

  // A second user preset, deleted from the device's library.
  await page.getByRole('link', { name: 'Rack', exact: true }).click();
  await page.getByRole('button', { name: 'Save Synth preset' }).click();
  await page.getByRole('textbox', { name: 'Preset name' }).fill('Throwaway');
  await page.getByRole('button', { name: 'Save preset', exact: true }).click();
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await expect(page.getByText('Throwaway')).toBeVisible();
  // The session keeps the presets it saved; the device library entry is deleted.
  await page.getByRole('button', { name: 'Delete preset Throwaway' }).click();
  await expect(page.locator('ob-presets-view li', { hasText: 'Throwaway' })).toContainText('session');
});

test('saving a preset under a name it already has replaces it: one entry in the menu, holding the new values', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Resave');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('delay');
  const time = page.getByRole('slider', { name: 'Delay Time' });
  const save = async (): Promise<void> => {
    await page.getByRole('button', { name: 'Save Delay preset' }).click();
    await page.getByRole('textbox', { name: 'Preset name' }).fill('Long');
    await page.getByRole('button', { name: 'Save preset', exact: true }).click();
  };
  await time.focus();
  await page.keyboard.press('End');
  await save();
  await time.focus();
  await page.keyboard.press('Home');
  const home = (await time.getAttribute('aria-valuenow'))!;
  await save();

  const menu = page.getByRole('combobox', { name: 'Delay preset' });
  await expect(menu.locator('optgroup[label=Yours] option')).toHaveText(['Long']);
  await menu.selectOption({ label: 'Slapback' });
  await expect(time).not.toHaveAttribute('aria-valuenow', home);
  await menu.selectOption({ label: 'Long' });
  await expect(time).toHaveAttribute('aria-valuenow', home);
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Rename preset Long' })).toHaveCount(1);
});

test('renaming a preset to a name another preset of that plugin has is refused with the reason; the box stays open to correct it', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Rename clash');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  for (const name of ['One', 'Two']) {
    await page.getByRole('button', { name: 'Save Synth preset' }).click();
    await page.getByRole('textbox', { name: 'Preset name' }).fill(name);
    await page.getByRole('button', { name: 'Save preset', exact: true }).click();
  }
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await page.getByRole('button', { name: 'Rename preset Two' }).click();
  const box = page.getByRole('textbox', { name: 'Preset name' });
  await box.fill('One');
  await box.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Another Synth preset is called "One"' })).toBeVisible();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('ob-presets-view li strong')).toHaveText(['One']);
  await box.fill('Three');
  await box.press('Enter');
  await expect(page.locator('ob-presets-view li strong')).toHaveText(['One', 'Three']);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a preset name of only spaces is refused with the reason, when saving and when renaming; nothing is saved under it', async ({ page, appUrl }) => {
  await openApp(page, appUrl);
  await createSession(page, 'Blank names');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
  await page.getByRole('button', { name: 'Save Synth preset' }).click();
  const name = page.getByRole('textbox', { name: 'Preset name' });
  await name.fill('   ');
  await page.getByRole('button', { name: 'Save preset', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'spaces alone are not a name' })).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('combobox', { name: 'Synth preset' }).locator('optgroup[label="Yours"]')).toHaveCount(0);
  await name.fill('Warm');
  await page.getByRole('button', { name: 'Save preset', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await page.getByRole('button', { name: 'Rename preset Warm' }).click();
  const box = page.getByRole('textbox', { name: 'Preset name' });
  await box.fill('  ');
  await box.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'spaces alone are not a name' })).toBeVisible();
  await expect(box).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('ob-presets-view li strong')).toHaveText(['Warm']);
});
