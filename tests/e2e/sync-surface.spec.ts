import { expect } from '@playwright/test';
import { appReady as ready } from './fixtures/app.ts';
import { seriousViolations } from './fixtures/axe.ts';
import { relayTest } from './fixtures/sync-relay.ts';
import { cutoffOf, invite, laptopWithFilter, status, TABLET, tabletJoins } from './fixtures/sync-devices.ts';

/**
 * The relay serves the built app; a laptop opens the admin URL, a tablet
 * (touch, 1024×768) opens an invite. One relay per file; sessions are fresh per test.
 */
const test = relayTest;

test.describe('sync: a tablet as a control surface', () => {
  test('a tablet rides the cutoff while the laptop plays', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Ride');
    const link = await invite(laptop.page, 'editor', true);
    expect(link).toContain(`session=${laptop.sessionId}`);
    await laptop.page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(laptop.page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'true');
    const tablet = await tabletJoins(browser, link);
    await expect(status(tablet.page)).toHaveText('Synced');
    // Both see each other.
    await expect(laptop.page.getByRole('list', { name: 'Also here' })).toBeVisible();

    const knob = cutoffOf(tablet.page);
    await knob.focus();
    for (let i = 0; i < 5; i += 1) await tablet.page.keyboard.press('PageUp');
    const moved = await knob.getAttribute('aria-valuenow');
    expect(Number(moved)).toBeGreaterThan(1000);
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-valuenow', moved!);

    // The laptop holds its Cutoff (mouse down, not moved): the tablet's next value waits under the
    // laptop's pointer and shows on release; nothing is sent for a hold that changed nothing.
    const mine = cutoffOf(laptop.page);
    const held = (await mine.boundingBox())!;
    await laptop.page.mouse.move(held.x + held.width / 2, held.y + held.height / 2);
    await laptop.page.mouse.down();
    const seqBefore = (await relay.session(laptop.sessionId)).seq;
    await tablet.page.keyboard.press('PageUp');
    const latest = await knob.getAttribute('aria-valuenow');
    await expect.poll(async () => (await relay.session(laptop.sessionId)).seq).toBe(seqBefore + 1);
    await expect(mine).toHaveAttribute('aria-valuenow', moved!);
    await laptop.page.mouse.up();
    await expect(mine).toHaveAttribute('aria-valuenow', latest!);
    expect((await relay.session(laptop.sessionId)).seq).toBe(seqBefore + 1);

    // A touch drag: in-gesture values stream, the release lands durable on the laptop.
    const box = (await knob.boundingBox())!;
    const cdp = await tablet.ctx.newCDPSession(tablet.page);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y, id: 1 }] });
    for (let i = 1; i <= 6; i += 1) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + i * 10, id: 1 }] });
    // The laptop follows while the finger is still down (in-gesture values, not only the release).
    await expect.poll(async () => Number(await cutoffOf(laptop.page).getAttribute('aria-valuenow'))).toBeLessThan(Number(latest));
    // Mid-gesture, the laptop shows who is moving its Cutoff; the accessible name stays "Filter Cutoff".
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-description', /is moving this/);
    expect(await seriousViolations(laptop.page), 'laptop rack with presence').toEqual([]);
    if (process.env.SYNC_SHOTS) {
      await laptop.page.screenshot({ path: `${process.env.SYNC_SHOTS}/laptop-presence.png` });
      await tablet.page.screenshot({ path: `${process.env.SYNC_SHOTS}/tablet.png` });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const dragged = await knob.getAttribute('aria-valuenow');
    expect(Number(dragged)).toBeLessThan(Number(latest));
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-valuenow', dragged!);
    await expect(cutoffOf(laptop.page)).not.toHaveAttribute('aria-description', /.+/);
    await expect(status(tablet.page)).toHaveText('Synced');
    const onRelay = await relay.session(laptop.sessionId);
    expect(onRelay.document.tracks[0]!.chain[0]!.params.cutoff).toBeCloseTo(Number(dragged), 0);
    // The laptop kept playing through it all.
    await expect(laptop.page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'true');
    // Settings tells who this device is on the relay and how the connection is doing.
    await laptop.page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(laptop.page.getByRole('heading', { name: 'Sync' })).toBeVisible();
    await expect(laptop.page.getByText('admin (admin)')).toBeVisible();
    await expect(laptop.page.getByRole('definition').filter({ hasText: /^guest_/ })).toBeVisible();
    expect(await seriousViolations(laptop.page), 'settings with sync').toEqual([]);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('the tablet reloads with a finger still on the cutoff: the drag\'s last value lands on the relay, the laptop and the tablet', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Reload mid-drag');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    const knob = cutoffOf(tablet.page);
    const box = (await knob.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const cdp = await tablet.ctx.newCDPSession(tablet.page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y, id: 1 }] });
    for (let i = 1; i <= 6; i += 1) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - i * 10, id: 1 }] });
    // The laptop hears the in-gesture values (ephemeral: not in the relay's log yet).
    await expect.poll(async () => Number(await cutoffOf(laptop.page).getAttribute('aria-valuenow'))).toBeGreaterThan(1000);
    const riding = await knob.getAttribute('aria-valuenow');
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-valuenow', riding!);

    // The page goes away under the finger: no touchend ever comes.
    await tablet.page.reload();
    await ready(tablet.page);
    await expect(status(tablet.page)).toHaveText('Synced');
    await expect.poll(async () => (await relay.session(laptop.sessionId)).document.tracks[0]!.chain[0]!.params.cutoff).toBeCloseTo(Number(riding), 0);
    await expect(cutoffOf(tablet.page)).toHaveAttribute('aria-valuenow', riding!);
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-valuenow', riding!);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('the laptop types a cutoff while the tablet moves it: the box keeps what was typed, and the typed value lands everywhere', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Typing');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    await laptop.page.getByRole('button', { name: 'Type a value for Filter Cutoff' }).click();
    const typed = laptop.page.getByRole('textbox', { name: 'Filter Cutoff value' });
    await expect(typed).toBeFocused();
    await laptop.page.keyboard.type('25');
    await cutoffOf(tablet.page).focus();
    await tablet.page.keyboard.press('PageUp');
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-valuenow', (await cutoffOf(tablet.page).getAttribute('aria-valuenow'))!);
    await expect(typed).toHaveValue('25');
    await typed.press('0');
    await typed.press('0');
    await typed.press('Enter');
    for (const page of [laptop.page, tablet.page]) await expect(cutoffOf(page)).toHaveAttribute('aria-valuenow', '2500');
    await expect.poll(async () => (await relay.session(laptop.sessionId)).document.tracks[0]!.chain[0]!.params.cutoff).toBe(2500);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('the laptop types a tempo while the tablet sets another: the box keeps what was typed, and the later Enter wins everywhere', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Tempo typing');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    const mine = laptop.page.getByRole('spinbutton', { name: 'Tempo in BPM' });
    const theirs = tablet.page.getByRole('spinbutton', { name: 'Tempo in BPM' });
    await mine.selectText();
    await mine.press('9');
    await theirs.fill('128');
    await theirs.press('Enter');
    const laptopTempo = () => laptop.page.evaluate(() => (window.outboard!.app as unknown as { parts: { ctl: { doc: { tempo_bpm: number } } } }).parts.ctl.doc.tempo_bpm);
    await expect.poll(laptopTempo).toBe(128);
    await expect(mine).toHaveValue('9');
    await mine.press('5');
    await mine.press('Enter');
    await expect(laptop.page.getByText('Tempo must be')).toHaveCount(0);
    for (const box of [mine, theirs]) await expect(box).toHaveValue('95');
    // A box left without a change follows the session's tempo again.
    await mine.selectText();
    await mine.press('9');
    await mine.press('Backspace');
    await mine.press('9');
    await mine.press('5');
    await mine.blur();
    await theirs.fill('100');
    await theirs.press('Enter');
    await expect(mine).toHaveValue('100');
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('the laptop types a track name while the tablet renames the track: the box keeps what was typed, the later Enter wins everywhere, and a blank name puts the name back', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Name typing');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    for (const { page } of [laptop, tablet]) await page.getByRole('link', { name: 'Mixer', exact: true }).click();
    // The track's box (the master's comes last).
    const mine = laptop.page.getByRole('textbox', { name: /^Name of / }).first();
    const theirs = tablet.page.getByRole('textbox', { name: /^Name of / }).first();
    await mine.selectText();
    await mine.pressSequentially('Bas');
    await theirs.fill('Drums');
    await theirs.press('Enter');
    await expect(laptop.page.getByRole('group', { name: 'Drums channel' })).toBeVisible();
    await expect(mine).toHaveValue('Bas');
    await mine.press('s');
    await mine.press('Enter');
    for (const box of [mine, theirs]) await expect(box).toHaveValue('Bass');
    await mine.fill('   ');
    await mine.press('Enter');
    await expect(mine).toHaveValue('Bass');
    await expect(theirs).toHaveValue('Bass');
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('the laptop reorders the rack while the tablet rides a plugin on the Surface: the finger keeps moving that plugin, not the one now in its place', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Reorder');
    await laptop.page.getByRole('combobox', { name: 'Add plugin' }).selectOption('gain');
    await expect(laptop.page.getByRole('button', { name: 'Move Gain up' })).toBeEnabled();
    const link = await invite(laptop.page, 'editor');
    const ctx = await browser.newContext(TABLET);
    const page = await ctx.newPage();
    await page.goto(link);
    await ready(page);
    await expect(status(page)).toHaveText('Synced');
    await page.getByRole('tab', { name: 'Audio 1' }).click();
    const gain = page.getByRole('slider', { name: 'Gain Gain' });
    const box = (await gain.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const cdp = await ctx.newCDPSession(page);
    const touch = (dy: number) => cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - dy, id: 1 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y, id: 1 }] });
    for (let dy = 10; dy <= 30; dy += 10) await touch(dy);
    await expect.poll(async () => Number(await gain.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    // Mid-ride, the laptop puts the Gain before the Filter: on the tablet the Filter's Mode is now where the finger is.
    await laptop.page.getByRole('button', { name: 'Move Gain up' }).click();
    await expect(page.getByRole('region', { name: 'Gain' }).locator('xpath=following-sibling::*[1]')).toHaveAttribute('aria-label', 'Filter');
    for (let dy = 40; dy <= 80; dy += 10) await touch(dy);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(gain).toHaveAttribute('aria-valuenow', '24');
    await expect(page.getByRole('slider', { name: 'Filter Mode' })).toHaveAttribute('aria-valuenow', '0');
    await expect.poll(async () => (await relay.session(laptop.sessionId)).document.tracks[0]!.chain.map((p) => p.params))
      .toEqual([{ gain_db: 24, pan: 0, invert: 0 }, { mode: 0, cutoff: 1000, q: 0.707 }]);
    await Promise.all([laptop.ctx.close(), ctx.close()]);
  });

  test('offline edits sync on reconnect', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Train');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');

    await relay.stop();
    await expect(status(tablet.page)).toHaveText(/Offline/);
    const knob = cutoffOf(tablet.page);
    await knob.focus();
    await tablet.page.keyboard.press('End');
    await tablet.page.keyboard.press('PageDown');
    // Two moves of one knob wait as one change: the newest value (the outbox compacts per control).
    await expect(status(tablet.page)).toHaveText('Offline · 1 change waiting');
    const offlineValue = await knob.getAttribute('aria-valuenow');
    // The change waits in the tablet's IndexedDB outbox, and leaves it once the relay has acked it.
    const stored = () => tablet.page.evaluate(() => (document.querySelector('ob-app') as unknown as {
      parts: { ctl: { store: { outboxCount(): Promise<number> } } } }).parts.ctl.store.outboxCount());
    await expect.poll(stored).toBe(1);

    await relay.start();
    await expect(status(tablet.page)).toHaveText('Synced', { timeout: 20_000 });
    await expect(status(laptop.page)).toHaveText('Synced', { timeout: 20_000 });
    await expect(cutoffOf(laptop.page)).toHaveAttribute('aria-valuenow', offlineValue!);
    await expect.poll(stored).toBe(0);
    const onRelay = await relay.session(laptop.sessionId);
    expect(onRelay.document.tracks[0]!.chain[0]!.params.cutoff).toBeCloseTo(Number(offlineValue), 0);

    // A reload on the tablet reopens the session with the kept token, no link needed.
    await tablet.page.reload();
    await ready(tablet.page);
    await expect(status(tablet.page)).toHaveText('Synced');
    // (the address kept the rack route)
    await expect(cutoffOf(tablet.page)).toHaveAttribute('aria-valuenow', offlineValue!);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('a viewer sees everything live and changes nothing', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Watch');
    const viewer = await tabletJoins(browser, await invite(laptop.page, 'viewer'));
    await expect(status(viewer.page)).toHaveText('Synced · view only');
    const knob = cutoffOf(viewer.page);
    await expect(knob).toHaveAttribute('aria-readonly', 'true');
    await expect(viewer.page.getByRole('button', { name: 'Bypass Filter' })).toBeDisabled();
    await expect(viewer.page.getByRole('combobox', { name: 'Add plugin' })).toBeDisabled();
    const before = (await relay.session(laptop.sessionId)).seq;
    await knob.focus();
    await viewer.page.keyboard.press('End');
    await expect(knob).toHaveAttribute('aria-valuenow', '1000');

    // The laptop's change still arrives live.
    const own = cutoffOf(laptop.page);
    await own.focus();
    await laptop.page.keyboard.press('Home');
    await expect(knob).toHaveAttribute('aria-valuenow', '20');
    const after = await relay.session(laptop.sessionId);
    expect(after.seq).toBe(before + 1);

    // On a phone the header (who is here, status) still fits without sideways scrolling.
    await viewer.page.setViewportSize({ width: 390, height: 844 });
    await expect(status(viewer.page)).toBeVisible();
    expect(await viewer.page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    await Promise.all([laptop.ctx.close(), viewer.ctx.close()]);
  });
});
