import { expect, type Browser, type Page } from '@playwright/test';
import { appReady as ready } from './fixtures/app.ts';
import { relayTest } from './fixtures/sync-relay.ts';
import type { RelayProcess } from './fixtures/sync-relay.ts';
import { invite, landing, status, TABLET } from './fixtures/sync-devices.ts';

/**
 * The tablet as a control surface for the laptop's engine: the transport is
 * shared session state, the tablet has no audio of its own, and it shows the
 * laptop's levels (METERS frames through the real relay).
 */
const test = relayTest;

/** Counts AudioContexts the page creates (a device with audio off must create none). */
function countAudioContexts(): void {
  const w = window as unknown as { __audioContexts: number; AudioContext: typeof AudioContext };
  w.__audioContexts = 0;
  const Original = w.AudioContext;
  w.AudioContext = class extends Original {
    constructor(options?: AudioContextOptions) {
      super(options);
      w.__audioContexts += 1;
    }
  };
}

/** A Wake Lock stand-in (headless Chromium has no screen to keep on): counts the requests. */
function stubWakeLock(): void {
  const w = window as unknown as { __wakeLocks: number };
  w.__wakeLocks = 0;
  Object.defineProperty(navigator, 'wakeLock', {
    configurable: true,
    value: { request: async () => { w.__wakeLocks += 1; return { released: false, release: async () => undefined }; } },
  });
}

const contexts = (page: Page) => page.evaluate(() => (window as unknown as { __audioContexts: number }).__audioContexts);
const engineIsPlaying = (page: Page) => page.evaluate(() => (document.querySelector('ob-app') as unknown as { parts: { ctl: { engine: { playing: boolean } | null } } }).parts.ctl.engine?.playing ?? false);
const masterPeak = async (page: Page) => Number(await page.getByRole('meter', { name: 'Master level' }).getAttribute('aria-valuenow'));
const play = (page: Page) => page.getByRole('button', { name: 'Play', exact: true });
const audioSwitch = (page: Page) => page.getByRole('switch', { name: 'Audio on this device' });

/** The laptop (1440×900) on the admin URL, with a new session holding one synth track (its default pattern sounds on Play). */
async function laptopWithSynth(browser: Browser, relay: RelayProcess, name: string) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.addInitScript(countAudioContexts);
  await page.goto(`${relay.url}/?token=${await relay.token('*', 'admin', 'admin')}`);
  await ready(page);
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await page.getByRole('textbox', { name: 'New session name' }).fill(name);
  await page.getByRole('button', { name: 'New session' }).click();
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  await page.getByRole('button', { name: '+ Synth track' }).click();
  await expect(status(page)).toHaveText('Synced');
  return { ctx, page };
}

/** The tablet (1024×768, touch) opens a surface invite, lands on the Surface view, and goes to the mixer. */
async function surfaceJoins(browser: Browser, url: string) {
  const ctx = await browser.newContext(TABLET);
  const page = await ctx.newPage();
  await page.addInitScript(countAudioContexts);
  await page.addInitScript(stubWakeLock);
  await page.goto(url);
  await ready(page);
  await expect(landing(page, url)).toBeVisible();
  await page.getByRole('link', { name: 'Mixer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Mixer' })).toBeVisible();
  await expect(status(page)).toHaveText('Synced');
  return { ctx, page };
}

/** The step the engine is on and when it was read (ms since the epoch: both pages read the same machine's clock). */
const stepReading = (page: Page) => page.evaluate(() => {
  const engine = (document.querySelector('ob-app') as unknown as { parts: { ctl: { engine: { step(): number | null } | null } } }).parts.ctl.engine;
  return { at: Date.now(), step: engine?.step() ?? null };
});

/** 120 BPM (the session's default tempo), 16th-note steps. */
const STEP_MS = 125;

/**
 * How far apart two engines are, in steps (-8..8 around the 16-step pattern):
 * b's step minus where a's would be at b's reading. Whole steps on both sides,
 * so two engines in perfect step differ by less than 1.
 */
async function stepsApart(a: Page, b: Page): Promise<number> {
  const [ra, rb] = await Promise.all([stepReading(a), stepReading(b)]);
  if (ra.step === null || rb.step === null) throw new Error(`an engine is stopped: ${JSON.stringify([ra, rb])}`);
  const apart = rb.step - ra.step - (rb.at - ra.at) / STEP_MS;
  return ((((apart + 8) % 16) + 16) % 16) - 8;
}

/** Five readings a few steps apart: the two engines stay within one step of each other. */
async function expectInStep(a: Page, b: Page, where: string): Promise<void> {
  await expect.poll(async () => (await stepReading(b)).step !== null && (await stepReading(a)).step !== null).toBe(true);
  for (let i = 0; i < 5; i += 1) {
    const apart = await stepsApart(a, b);
    expect(Math.abs(apart), `${where}: ${apart.toFixed(2)} steps apart`).toBeLessThanOrEqual(1.5);
    await a.waitForTimeout(3 * STEP_MS);
  }
}

test.describe('sync: the tablet drives the laptop\'s engine', () => {
  test('Play on the tablet starts the laptop, the tablet meters the laptop\'s signal, Stop stops it', async ({ browser, relay }) => {
    const laptop = await laptopWithSynth(browser, relay, 'Gig');
    const link = await invite(laptop.page, 'editor');
    expect(link).toContain('purpose=surface');
    const tablet = await surfaceJoins(browser, link);
    // A surface invite opens with audio off; the laptop keeps its audio on.
    await expect(audioSwitch(tablet.page)).not.toBeChecked();
    await expect(audioSwitch(laptop.page)).toBeChecked();
    await expect(tablet.page.getByText('No device has audio on')).toHaveCount(0);
    // Connected, the surface keeps its screen awake.
    expect(await tablet.page.evaluate(() => (window as unknown as { __wakeLocks: number }).__wakeLocks)).toBeGreaterThanOrEqual(1);

    await play(tablet.page).click();
    await expect.poll(() => engineIsPlaying(laptop.page)).toBe(true);
    await expect(play(laptop.page)).toHaveAttribute('aria-pressed', 'true');
    await expect(play(tablet.page)).toHaveAttribute('aria-pressed', 'true');
    // The laptop's synth sounds, and the tablet's master meter shows it (the tablet has no engine).
    await expect.poll(() => masterPeak(laptop.page), { timeout: 10_000 }).toBeGreaterThan(-40);
    await expect.poll(() => masterPeak(tablet.page), { timeout: 10_000 }).toBeGreaterThan(-40);

    // The playhead on the step grid follows the laptop engine's position, on both devices.
    for (const page of [laptop.page, tablet.page]) {
      await page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
      const grid = page.getByRole('group', { name: '16-step pattern' });
      const seen = new Set<string>();
      await expect.poll(async () => {
        const now = grid.locator('[aria-current=step]');
        if ((await now.count()) === 1) seen.add((await now.getAttribute('aria-label')) ?? '');
        return seen.size;
      }, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      await page.getByRole('link', { name: 'Mixer', exact: true }).click();
    }

    await tablet.page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => engineIsPlaying(laptop.page)).toBe(false);
    await expect(play(laptop.page)).toHaveAttribute('aria-pressed', 'false');
    await expect(play(tablet.page)).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(() => masterPeak(tablet.page), { timeout: 10_000 }).toBeLessThan(-59);
    await tablet.page.getByRole('button', { name: 'Open the rack of Synth 1' }).click();
    await expect(tablet.page.getByRole('group', { name: '16-step pattern' }).locator('[aria-current=step]')).toHaveCount(0);
    await tablet.page.getByRole('link', { name: 'Mixer', exact: true }).click();
    // Audio off never made an AudioContext on the tablet; the laptop made one.
    expect(await contexts(tablet.page)).toBe(0);
    expect(await contexts(laptop.page)).toBeGreaterThan(0);

    // With the laptop's audio off too, nobody plays: the surface says so.
    await audioSwitch(laptop.page).click();
    await expect(tablet.page.getByText('No device has audio on')).toBeVisible();
    await audioSwitch(laptop.page).click();
    await expect(tablet.page.getByText('No device has audio on')).toHaveCount(0);
    // The switch is remembered on this device.
    await laptop.page.reload();
    await ready(laptop.page);
    await expect(audioSwitch(laptop.page)).toBeChecked();
    await tablet.page.reload();
    await ready(tablet.page);
    await expect(audioSwitch(tablet.page)).not.toBeChecked();
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('two fingers ride two faders at once on the tablet, and the laptop follows both', async ({ browser, relay }) => {
    const laptop = await laptopWithSynth(browser, relay, 'Two hands');
    await laptop.page.getByRole('button', { name: '+ Synth track' }).click();
    const tablet = await surfaceJoins(browser, await invite(laptop.page, 'editor'));
    const faders = ['Synth 1 Gain', 'Synth 2 Gain'];
    const on = (page: Page, name: string) => page.getByRole('slider', { name, exact: true });
    const value = async (page: Page, name: string) => Number(await on(page, name).getAttribute('aria-valuenow'));
    const boxes = await Promise.all(faders.map(async (name) => (await on(tablet.page, name).boundingBox())!));
    const cdp = await tablet.ctx.newCDPSession(tablet.page);
    const points = (dy: number) => boxes.map((b, i) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 + dy, id: i + 1 }));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(0) });
    for (let i = 1; i <= 8; i += 1) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(i * 6) });
    // Both fingers are still down: the laptop already follows both faders (in-gesture values, one BATCH per frame).
    for (const name of faders) await expect.poll(() => value(laptop.page, name)).toBeLessThan(-1);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    for (const name of faders) {
      const final = await value(tablet.page, name);
      expect(final).toBeLessThan(-1);
      await expect(on(laptop.page, name)).toHaveAttribute('aria-valuenow', String(final));
    }
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('while the laptop holds a fader, the tablet\'s moves change neither its display nor its engine; the release lands', async ({ browser, relay }) => {
    const laptop = await laptopWithSynth(browser, relay, 'Hold');
    const tablet = await surfaceJoins(browser, await invite(laptop.page, 'editor'));
    await play(laptop.page).click();
    await expect.poll(() => engineIsPlaying(laptop.page)).toBe(true);
    const engineGain = () => laptop.page.evaluate(() => {
      const parts = (document.querySelector('ob-app') as unknown as { parts: { ctl: { doc: { tracks: { id: string }[] }; engine: unknown } } }).parts;
      const graph = (parts.ctl.engine as { feed: { graph: { trackValue(id: string, f: string): number } } }).feed.graph;
      return graph.trackValue(parts.ctl.doc.tracks[0]!.id, 'gain_db');
    });
    const mine = laptop.page.getByRole('slider', { name: 'Synth 1 Gain', exact: true });
    const theirs = tablet.page.getByRole('slider', { name: 'Synth 1 Gain', exact: true });
    expect(await engineGain()).toBe(0);
    const held = (await mine.boundingBox())!;
    await laptop.page.mouse.move(held.x + held.width / 2, held.y + held.height / 2);
    await laptop.page.mouse.down();
    await theirs.focus();
    for (let i = 0; i < 4; i += 1) await tablet.page.keyboard.press('PageDown');
    const latest = await theirs.getAttribute('aria-valuenow');
    expect(Number(latest)).toBeLessThan(-1);
    // The tablet's values reached the laptop's document (the relay acked them) ...
    await expect.poll(() => laptop.page.evaluate(() => (document.querySelector('ob-app') as unknown as { parts: { ctl: { doc: { tracks: { gain_db: number }[] } } } }).parts.ctl.doc.tracks[0]!.gain_db)).toBe(Number(latest));
    // ... but neither the held fader nor the engine moved.
    await expect(mine).toHaveAttribute('aria-valuenow', '0');
    expect(await engineGain()).toBe(0);
    await laptop.page.mouse.up();
    await expect(mine).toHaveAttribute('aria-valuenow', latest!);
    await expect.poll(engineGain).toBe(Number(latest));
    await Promise.all([laptop.ctx.close(), tablet.ctx.close()]);
  });

  test('two devices with audio on play in step: Play starts both at the same step, and one that turns audio on while playing joins where the other is', async ({ browser, relay }) => {
    const laptop = await laptopWithSynth(browser, relay, 'In step');
    // A collaborator's own device: it opens with audio on, so both are audio hosts.
    const url = await invite(laptop.page, 'editor', false, 'device');
    const ctx = await browser.newContext(TABLET);
    const other = await ctx.newPage();
    await other.goto(url);
    await ready(other);
    await expect(landing(other, url)).toBeVisible();
    await expect(status(other)).toHaveText('Synced');
    await expect(audioSwitch(other)).toBeChecked();

    // Play on the laptop: the other device's engine is made and started when the op arrives, yet plays in step.
    await play(laptop.page).click();
    await expect.poll(() => engineIsPlaying(other)).toBe(true);
    await expectInStep(laptop.page, other, 'after Play');

    // Audio off and on again on the other device while the session plays: it joins at the current
    // position, not at step 0 (turned back on mid-pattern, so step 0 would be several steps off).
    await audioSwitch(other).click();
    await expect.poll(() => engineIsPlaying(other)).toBe(false);
    await expect.poll(async () => {
      const { step } = await stepReading(laptop.page);
      return step !== null && step >= 4 && step <= 8;
    }, { intervals: [20] }).toBe(true);
    await audioSwitch(other).click();
    await expect.poll(() => engineIsPlaying(other)).toBe(true);
    await expectInStep(laptop.page, other, 'after audio on while playing');
    await Promise.all([laptop.ctx.close(), ctx.close()]);
  });
});
