import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { appReady as ready, screenshot } from './fixtures/app.ts';
import { seriousViolations } from './fixtures/axe.ts';
import { relayTest } from './fixtures/sync-relay.ts';

/** The relay serves the built app; one relay for the file. */
const test = relayTest;

const status = (page: Page) => page.getByRole('status').filter({ hasText: /Synced|Offline|Connecting|Syncing|Local|Not connected/ });

/** The rows of the message table (the header row has column headers, not cells). */
const rows = (page: Page): Locator =>
  page.getByRole('table', { name: /Messages to and from the relay/ }).getByRole('row').filter({ has: page.getByRole('cell') });
const cell = (page: Page, name: string) => page.getByRole('cell', { name, exact: true });
/** A figure of the performance panel, by its row header. */
const figure = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell');
const pause = (page: Page) => page.getByRole('button', { name: 'Pause', exact: true });

test('a musician debugs the rig: the frames of a moved control and their round trips, filtered, paused and exported', async ({ browser, relay }) => {
  test.setTimeout(90_000);
  const laptop = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await laptop.newPage();
  await page.goto(`${relay.url}/?token=${await relay.token('*', 'admin', 'admin')}`);
  await ready(page);
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await page.getByRole('textbox', { name: 'New session name' }).fill('Debug');
  await page.getByRole('button', { name: 'New session' }).click();
  await page.getByRole('button', { name: '+ Audio track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('filter');
  await expect(status(page)).toHaveText('Synced');
  const knob = page.getByRole('slider', { name: 'Filter Cutoff' });
  await knob.focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('PageUp');
  await expect(status(page)).toHaveText('Synced');

  await page.getByRole('link', { name: 'Diagnostics', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Diagnostics' })).toBeVisible();
  // Each value went out and came back acked, timed.
  const sentValues = rows(page).filter({ has: cell(page, 'PLUGIN_PARAMETER') }).filter({ has: cell(page, 'Out') }).filter({ has: cell(page, 'admin') });
  await expect.poll(() => sentValues.count()).toBeGreaterThanOrEqual(3);
  const acks = rows(page).filter({ has: cell(page, 'ack') }).filter({ has: cell(page, 'In') });
  await expect.poll(() => acks.count()).toBeGreaterThanOrEqual(3);
  await expect(acks.first().getByRole('cell', { name: /^\d+(\.\d)? ms$/ })).toBeVisible();
  await expect(figure(page, 'Round trip, average')).toHaveText(/^\d+(\.\d)? ms$/);
  await expect(figure(page, 'Round trip, max')).toHaveText(/^\d+(\.\d)? ms$/);
  await expect(figure(page, 'Errors')).toHaveText('0');
  // Playing, the engine's load is a share of its render budget: 128 frames at the device's rate.
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(figure(page, 'Sample rate')).toHaveText(/^\d+ Hz$/);
  const rate = Number((await figure(page, 'Sample rate').textContent())!.replace(' Hz', ''));
  await expect(figure(page, 'Engine load')).toHaveText(new RegExp(`^\\d+% of the ${((128 / rate) * 1000).toFixed(2)} ms render budget$`));
  await expect(figure(page, 'Output latency')).toHaveText(/^\d+(\.\d)? ms \(base \d+(\.\d)? ms\)$/);
  expect(await seriousViolations(page), 'diagnostics at 1440x900').toEqual([]);
  await screenshot(page, 'diagnostics-traffic');

  // Filtering by type narrows the list to that type.
  const all = await rows(page).count();
  const type = page.getByRole('combobox', { name: 'Type' });
  await type.selectOption('PLUGIN_PARAMETER');
  await expect.poll(() => rows(page).count()).toBeLessThan(all);
  await expect(rows(page).filter({ hasNot: cell(page, 'PLUGIN_PARAMETER') })).toHaveCount(0);
  await type.selectOption('');

  // Paused, the list holds still while a tablet rides the same cutoff.
  await pause(page).click();
  await expect(pause(page)).toHaveAttribute('aria-pressed', 'true');
  const held = await rows(page).count();
  const sessionId = await page.evaluate(() => (document.querySelector('ob-app') as unknown as { parts: { ctl: { doc: { id: string } } } }).parts.ctl.doc.id);
  // What the laptop recorded meanwhile, read from its log (the list on screen is the thing under test).
  type Log = { entries(filter: { user: string; type: string }): unknown[] };
  const recordedFromTablet = () => page.evaluate(() =>
    (document.querySelector('ob-app') as unknown as { parts: { sync: { diagnostics: Log } } }).parts.sync.diagnostics
      .entries({ user: 'tab', type: 'PLUGIN_PARAMETER' }).length);
  const tabletCtx = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  const tablet = await tabletCtx.newPage();
  await tablet.goto(`${relay.url}/?session=${sessionId}&token=${await relay.token(sessionId, 'tab', 'editor')}`);
  await ready(tablet);
  await tablet.getByRole('button', { name: /Open the rack of/ }).first().click();
  const tabletKnob = tablet.getByRole('slider', { name: 'Filter Cutoff' });
  await tabletKnob.focus();
  await tablet.keyboard.press('PageDown');
  await expect(status(tablet)).toHaveText('Synced');
  await expect.poll(recordedFromTablet).toBeGreaterThan(0);
  // Two refreshes (every 250 ms) later, an unpaused list would have shown them.
  await page.waitForTimeout(600);
  await expect(rows(page)).toHaveCount(held);
  await expect(rows(page).filter({ has: cell(page, 'tab') })).toHaveCount(0);

  // Resumed, the tablet's frames show, under its user.
  await pause(page).click();
  await expect(pause(page)).toHaveAttribute('aria-pressed', 'false');
  await expect(rows(page).filter({ has: cell(page, 'tab') }).filter({ has: cell(page, 'PLUGIN_PARAMETER') })).not.toHaveCount(0);

  // Export JSON saves the rows shown (paused, so the list holds still while it is read).
  await page.getByRole('combobox', { name: 'User' }).selectOption('tab');
  await pause(page).click();
  const shown = await rows(page).count();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^outboard-messages-.*\.json$/);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    filter: { user?: string }; messages: { direction: string; type: string; user: string; sessionId: string; raw: string }[];
  };
  expect(file.filter.user).toBe('tab');
  expect(file.messages).toHaveLength(shown);
  expect(file.messages.length).toBeGreaterThan(0);
  for (const m of file.messages) {
    expect(m).toMatchObject({ direction: 'in', user: 'tab', sessionId });
    expect(JSON.parse(m.raw).type).toBe(m.type);
  }

  // The phone layout: accessible, no sideways scrolling (the table scrolls inside its own region).
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await seriousViolations(page), 'diagnostics at 390x844').toEqual([]);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
  await Promise.all([laptop.close(), tabletCtx.close()]);
});

test('without a relay for the session, Diagnostics says so instead of an empty table', async ({ browser, relay }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // The app from the relay, but no token: nothing syncs.
  await page.goto(relay.url);
  await ready(page);
  await page.getByRole('link', { name: 'Diagnostics', exact: true }).click();
  await expect(page.getByText(/No session is open/)).toBeVisible();
  await expect(page.getByRole('table', { name: /Messages/ })).toHaveCount(0);
  await expect(figure(page, 'Round trip, average')).toHaveText('—');
  await expect(page.getByRole('button', { name: 'Export JSON' })).toBeDisabled();
  await expect(page.getByText(/The audio engine starts on Play/)).toBeVisible();
  expect(await seriousViolations(page), 'empty diagnostics').toEqual([]);
  await ctx.close();
});
