import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

test('sessions: create, rename, duplicate, export, import, delete — and a bad file is refused with a reason', async ({ page, appUrl }, info) => {
  page.on('dialog', (d) => void d.accept());
  await page.setViewportSize({ width: 1024, height: 768 });
  await openApp(page, appUrl);
  await createSession(page, 'Demo A');
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await page.getByRole('button', { name: '+ Synth track' }).click();

  // Reorder and remove tracks in the mixer.
  await page.getByRole('button', { name: 'Move Synth 1 right' }).click();
  await expect(page.getByRole('group', { name: /channel$/ }).first()).toHaveAccessibleName('Synth 2 channel');
  await page.getByRole('button', { name: 'Remove Synth 2' }).click();
  await expect(page.getByRole('group', { name: 'Synth 2 channel' })).toHaveCount(0);

  const sessions = page.getByRole('link', { name: 'Sessions', exact: true });
  await sessions.click();
  await page.getByRole('button', { name: 'Rename Demo A' }).click();
  await page.getByRole('textbox', { name: 'New name for Demo A' }).fill('Demo B');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open Demo B' })).toBeVisible();

  await page.getByRole('button', { name: 'Duplicate Demo B' }).click();
  await expect(page.getByRole('button', { name: 'Open Demo B (copy)' })).toContainText('1 track');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Demo B as JSON' }).click();
  const file = info.outputPath('demo.outboard.json');
  await (await download).saveAs(file);

  await page.getByRole('button', { name: 'Delete Demo B', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open Demo B', exact: true })).toHaveCount(0);

  // Import the exported file: it comes back, with its track.
  const input = page.locator('ob-sessions-view input[type=file]');
  await input.setInputFiles(file);
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Synth 1 Gain' })).toBeVisible();
  await sessions.click();
  await expect(page.getByRole('button', { name: 'Open Demo B', exact: true })).toBeVisible();

  // A file that is not a session: refused, nothing changes.
  const bad = join(info.outputPath(), 'bad.json');
  await writeFile(bad, JSON.stringify({ format: 'outboard.session/1', id: 'ses_x', name: 'X', tempo_bpm: 9000 }));
  await input.setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('bad.json is an Outboard session that cannot be opened: its "tempo_bpm" is not valid');
  await expect(page.getByRole('button', { name: /^Open / })).toHaveCount(2);

  await flush(page);
  await page.reload();
  await sessions.click();
  await expect(page.getByRole('button', { name: /^Open / })).toHaveCount(2);
});
