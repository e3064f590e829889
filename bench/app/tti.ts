// `outboard bench app`, SPEC §9 "time to interactive from cache": the built
// app (dist/) in Chromium, on a first visit and then started by its service
// worker, online and offline, beside a blank page from the same server.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStaticServer } from './static-server.ts';
import { printTable, ratio } from '../table.ts';
import { median } from '../stats.ts';

/** Timed loads per row; the median is reported (2 shared cores: noisy tails). */
const RUNS = 7;
/** How long after the candidate TTI no long task may end. */
const QUIET_MS = 500;

/** One timed load, in ms on the page's clock (0 = navigation start). */
interface Load {
  tti: number;
  fcp: number | null;
  controlled: boolean;
}

/** What makes a page "shown": the app's Mixer link, or for the blank page its parsed document. */
type Target = 'app' | 'blank';

declare global {
  interface Window {
    __tti?: { done: Load | null };
  }
}

/**
 * Runs in the page before its own scripts. TTI: from navigation start to the
 * moment the app answers input, i.e. the main navigation (the link named Mixer)
 * is visible and no long task (>= 50 ms, the longtask API's threshold) ends
 * within the next QUIET_MS; TTI = max(link visible, end of the last long task).
 * Polled on a 10 ms timer, not rAF, and with no named inner functions: esbuild
 * compiles with keepNames, whose __name() helper does not exist in the page.
 */
function probe({ target, quietMs }: { target: Target; quietMs: number }): void {
  const state: { done: Load | null } = { done: null };
  window.__tti = state;
  const longTasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });
  let shownAt: number | null = null;
  const timer = setInterval(() => {
    if (shownAt === null) {
      const shown = target === 'blank'
        ? document.readyState !== 'loading'
        : [...(document.querySelector('ob-app')?.shadowRoot?.querySelectorAll('nav a') ?? [])]
          .some((a) => a.textContent?.trim() === 'Mixer' && a.checkVisibility());
      if (!shown) return;
      shownAt = performance.now();
    }
    longTasks.push(...observer.takeRecords());
    const tti = Math.max(shownAt, ...longTasks.map((t) => t.startTime + t.duration));
    if (performance.now() - tti < quietMs) return;
    clearInterval(timer);
    state.done = {
      tti,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      controlled: navigator.serviceWorker?.controller != null,
    };
  }, 10);
}

async function newContext(browser: Browser, target: Target): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript(probe, { target, quietMs: QUIET_MS });
  return context;
}

/** Navigates (goto or reload) and returns the load's times once the page has settled. */
async function timed(page: Page, navigate: () => Promise<unknown>): Promise<Load> {
  await navigate();
  const done = await page.waitForFunction(() => window.__tti?.done ?? null, null, { timeout: 30_000 });
  return (await done.jsonValue()) as Load;
}

/** Loads that must have been answered by the service worker. */
async function cached(page: Page, runs: number): Promise<Load[]> {
  const loads: Load[] = [];
  for (let i = 0; i < runs; i++) {
    const load = await timed(page, () => page.reload());
    if (!load.controlled) throw new Error('a reload was not controlled by the service worker');
    loads.push(load);
  }
  return loads;
}

/** Time to interactive: first visit, reloads from the service worker online and offline, and the blank-page floor. */
export async function ttiBench(browser: Browser, dist: string): Promise<void> {
  const server = await startStaticServer(dist);
  try {
    // The blank page gets its own context: where the app's service worker
    // controls the origin, its navigation fallback would answer /__blank with the app.
    const blankContext = await newContext(browser, 'blank');
    const blankPage = await blankContext.newPage();
    const blank: Load[] = [];
    for (let i = 0; i < RUNS; i++) blank.push(await timed(blankPage, () => blankPage.goto(`${server.url}/__blank`)));
    await blankContext.close();

    // A first visit has one sample per empty cache, so each run gets a fresh
    // context; the last one stays open for the runs from the cache.
    const first: Load[] = [];
    const firstVisit = async (context: BrowserContext): Promise<Page> => {
      const page = await context.newPage();
      first.push(await timed(page, () => page.goto(server.url)));
      return page;
    };
    for (let i = 1; i < RUNS; i++) {
      const context = await newContext(browser, 'app');
      await firstVisit(context);
      await context.close();
    }
    const context = await newContext(browser, 'app');
    const page = await firstVisit(context);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // clientsClaim takes the page once the worker activates; a reload covers a claim still in flight.
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    const online = await cached(page, RUNS);
    // setOffline does not reach the service worker's own fetches (microsoft/playwright#2311),
    // so the server stops too: nothing answers but the cache.
    await context.setOffline(true);
    await server.stop();
    const offline = await cached(page, RUNS);
    await context.close();

    const firstTti = median(first.map((l) => l.tti));
    const row = (what: string, loads: Load[]): (string | number)[] => {
      const tti = median(loads.map((l) => l.tti));
      const fcps = loads.flatMap((l) => (l.fcp === null ? [] : [l.fcp]));
      return [what, tti, Math.max(...loads.map((l) => l.tti)), fcps.length ? median(fcps) : '-', ratio(firstTti / tti), String(loads.length)];
    };
    printTable(`Time to interactive (TTI): navigation start to the Mixer link visible with no long task (>= 50 ms) ending in the next ${QUIET_MS} ms; `
      + 'TTI = max(link visible, end of the last long task), on the page\'s clock; FCP = first contentful paint',
    ['load', 'median TTI ms', 'worst TTI ms', 'median FCP ms', 'first visit / this', 'runs'],
    [
      row('blank page from the same server (/__blank, parsed; nothing to paint): the floor of a navigation here', blank),
      row('first visit, empty cache (network; a fresh context per run)', first),
      row('reload from the service worker cache (online)', online),
      row('reload offline from the service worker cache (context offline, server stopped)', offline),
    ]);
  } finally {
    // Also after the offline runs stopped it: a second stop() just resolves.
    await server.stop();
  }
}
