// MIDI on a surface: a controller on the tablet drives the laptop's session
// through the real relay, as a finger on the tablet would. Real relay, real
// sockets, two browser contexts; the tablet's Web MIDI is the stub of
// bench/app/web-midi-stub.ts (the one mock: no MIDI hardware here).
import { expect } from '@playwright/test';
import { appReady, createSession } from './fixtures/app.ts';
import { relayTest as test } from './fixtures/sync-relay.ts';
import { sendMidi, stubWebMidi } from '../../bench/app/web-midi-stub.ts';

const synced = (page: import('@playwright/test').Page) => expect(page.getByRole('status').filter({ hasText: /^Synced/ })).toBeVisible({ timeout: 15_000 });

test('a knob on the tablet\'s controller moves the laptop\'s control through the relay; its resting value is durable there', async ({ browser, relay }) => {
  const laptopCtx = await browser.newContext();
  const laptop = await laptopCtx.newPage();
  await laptop.goto(`${relay.url}/?token=${await relay.token('*', 'admin', 'admin')}`);
  await appReady(laptop);
  await createSession(laptop, 'MIDI rig');
  await laptop.getByRole('button', { name: '+ Synth track' }).click();
  await synced(laptop);
  const sessionId = await laptop.evaluate(() => (document.querySelector('ob-app') as unknown as { parts: { ctl: { doc: { id: string } } } }).parts.ctl.doc.id);

  const tabletCtx = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  const tablet = await tabletCtx.newPage();
  await stubWebMidi(tablet);
  await tablet.goto(`${relay.url}/?token=${await relay.token(sessionId, 'tablet', 'editor')}`);
  await appReady(tablet);
  await synced(tablet);
  await tablet.getByRole('button', { name: 'MIDI Learn' }).click();
  await tablet.getByRole('slider', { name: 'Synth 1 Pan' }).click();
  await sendMidi(tablet, 0xb0, 10, 64);
  await expect(tablet.getByRole('button', { name: 'Unmap CC 10 from Synth 1 · Pan' })).toBeVisible();
  await tablet.getByRole('button', { name: 'Done' }).click();

  await sendMidi(tablet, 0xb0, 10, 64);
  await sendMidi(tablet, 0xb0, 10, 127);
  await expect(laptop.getByRole('slider', { name: 'Synth 1 Pan' })).toHaveAttribute('aria-valuenow', '1');
  // The knob rests: its last value is sent durable, and the relay keeps it.
  await expect.poll(async () => ((await relay.session(sessionId)).document.tracks[0] as unknown as { pan: number }).pan, { timeout: 10_000 }).toBe(1);
  await laptopCtx.close();
  await tabletCtx.close();
});
