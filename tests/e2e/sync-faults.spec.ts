import { expect, type Page } from '@playwright/test';
import { appReady as ready } from './fixtures/app.ts';
import { relayTest } from './fixtures/sync-relay.ts';
import { cutoffOf, invite, laptopWithFilter, status, tabletJoins } from './fixtures/sync-devices.ts';

/**
 * The faults that cost a musician's trust (issue 12 §4), in real Chromium
 * against a real relay process: edits on both devices while the relay is
 * down, one param edited in two browsers at once, the relay SIGKILLed in the
 * middle of a fader ride, and links that end (revoked, expired).
 */
const test = relayTest;

const qOf = (page: Page) => page.getByRole('slider', { name: 'Filter Q' });
const valueOf = async (slider: ReturnType<typeof cutoffOf>) => Number(await slider.getAttribute('aria-valuenow'));
const BACK = { timeout: 20_000 };

test.describe('sync under faults', () => {
  test('both devices edit while the relay is down, the laptop reloads; when it is back all three hold the same document', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Both offline');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');

    await relay.stop();
    await expect(status(laptop.page)).toHaveText(/Offline/, BACK);
    await expect(status(tablet.page)).toHaveText(/Offline/, BACK);
    // The same param on both (the tablet's move comes last, so it wins), and Q only on the laptop.
    await cutoffOf(laptop.page).focus();
    await laptop.page.keyboard.press('Home');
    await qOf(laptop.page).focus();
    await laptop.page.keyboard.press('End');
    await cutoffOf(tablet.page).focus();
    await tablet.page.keyboard.press('End');
    await tablet.page.keyboard.press('PageDown');
    const cutoff = await valueOf(cutoffOf(tablet.page));
    const q = await valueOf(qOf(laptop.page));
    await expect(status(tablet.page)).toHaveText('Offline · 1 change waiting');

    await laptop.page.evaluate(() => window.outboard?.flush());
    await laptop.page.reload();
    await ready(laptop.page);
    await expect(qOf(laptop.page)).toHaveAttribute('aria-valuenow', String(q));

    await relay.start();
    for (const page of [laptop.page, tablet.page]) {
      await expect(status(page)).toHaveText('Synced', BACK);
      await expect(cutoffOf(page)).toHaveAttribute('aria-valuenow', String(cutoff), BACK);
      await expect(qOf(page)).toHaveAttribute('aria-valuenow', String(q), BACK);
    }
    const params = (await relay.session(laptop.sessionId)).document.tracks[0]!.chain[0]!.params;
    expect(params.cutoff).toBeCloseTo(cutoff, 0);
    expect(params.q).toBeCloseTo(q, 2);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('one param edited in two browsers at once resolves to the same value everywhere, also after both reload', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Tug of war');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    // Neither hears the other before both have moved: each edit is stamped without seeing the other's.
    await relay.stop();
    await expect(status(tablet.page)).toHaveText(/Offline/, BACK);
    await cutoffOf(tablet.page).focus();
    await tablet.page.keyboard.press('Home');
    await cutoffOf(laptop.page).focus();
    await laptop.page.keyboard.press('End');
    const later = await valueOf(cutoffOf(laptop.page));
    await relay.start();
    for (const page of [laptop.page, tablet.page]) {
      await expect(status(page)).toHaveText('Synced', BACK);
      // The later stamp (HLC) wins on every replica.
      await expect(cutoffOf(page)).toHaveAttribute('aria-valuenow', String(later), BACK);
    }
    for (const page of [laptop.page, tablet.page]) {
      await page.reload();
      await ready(page);
      await expect(status(page)).toHaveText('Synced', BACK);
      await expect(cutoffOf(page)).toHaveAttribute('aria-valuenow', String(later));
    }
    expect((await relay.session(laptop.sessionId)).document.tracks[0]!.chain[0]!.params.cutoff).toBeCloseTo(later, 0);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('the relay SIGKILLed in the middle of a fader ride: the ride\'s final value is on the relay and on both devices', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Kill switch');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    const knob = cutoffOf(tablet.page);
    const box = (await knob.boundingBox())!;
    const y = box.y + box.height / 2;
    // A drag across the knob: half of it before the kill, half after, the release (the durable final value) at the end.
    await tablet.page.mouse.move(box.x + box.width * 0.1, y);
    await tablet.page.mouse.down();
    for (let i = 1; i <= 10; i += 1) await tablet.page.mouse.move(box.x + box.width * (0.1 + i * 0.03), y - i * 4);
    await relay.kill();
    for (let i = 11; i <= 20; i += 1) await tablet.page.mouse.move(box.x + box.width * (0.1 + i * 0.03), y - i * 4);
    await tablet.page.mouse.up();
    const final = await valueOf(knob);
    expect(final).not.toBe(1000);
    await relay.start();
    for (const page of [tablet.page, laptop.page]) {
      await expect(status(page)).toHaveText('Synced', BACK);
      await expect(cutoffOf(page)).toHaveAttribute('aria-valuenow', String(final), BACK);
    }
    expect((await relay.session(laptop.sessionId)).document.tracks[0]!.chain[0]!.params.cutoff).toBeCloseTo(final, 0);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('a revoked invite closes the tablet\'s socket with the reason shown; an expired link does the same', async ({ browser, relay }) => {
    const laptop = await laptopWithFilter(browser, relay, 'Revoked');
    const tablet = await tabletJoins(browser, await invite(laptop.page, 'editor'));
    await expect(status(tablet.page)).toHaveText('Synced');
    await laptop.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await laptop.page.getByRole('button', { name: /^Revoke the editor link/ }).click();
    await expect(laptop.page.getByText('None.')).toBeVisible();
    await laptop.page.getByRole('button', { name: 'Close invite' }).click();
    await expect(status(tablet.page)).toHaveText('Not connected · link ended · nothing lost', BACK);
    await expect(status(tablet.page)).toHaveAttribute('title', /^the owner revoked this invite\. Your changes are kept on this device/);
    // What the tablet does now is kept for a new link.
    await cutoffOf(tablet.page).focus();
    await tablet.page.keyboard.press('End');
    await expect(status(tablet.page)).toHaveText('Not connected · link ended · 1 change kept here');

    // A link that expires (a 3 s token): the relay closes the socket when it runs out, and the tablet says so.
    const short = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await short.newPage();
    await page.goto(`${relay.url}/?session=${laptop.sessionId}&token=${await relay.token(laptop.sessionId, 'tab2', 'editor', 3)}`);
    await ready(page);
    await expect(status(page)).toHaveText('Synced', BACK);
    await expect(status(page)).toHaveText('Not connected · link ended · nothing lost', BACK);
    await expect(status(page)).toHaveAttribute('title', /expired\. Your changes are kept on this device/);
    await Promise.all([laptop.ctx.close(), tablet.ctx.close(), short.close()]);
  });
});
