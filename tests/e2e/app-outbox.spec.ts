import { createSession, expect, flush, openApp, test } from './fixtures/app.ts';

/**
 * The outbox in the browser's own IndexedDB: a fader ridden offline (each
 * value durable, as from arrow keys or a MIDI knob at 60 Hz) leaves one
 * waiting entry per control, and a session with no relay never says that
 * anything is waiting. `OUTBOX_MINUTES` sets how long the ride is (1 by
 * default; the measure is 10).
 */
const MINUTES = Number(process.env.OUTBOX_MINUTES ?? 1);

type Parts = {
  ctl: { doc: { id: string; tracks: { id: string; chain: { id: string }[] }[] }; dispatch(op: unknown): unknown; flush(): Promise<void> };
  store: { outboxCount(id?: string): Promise<number>; appendOutbox(id: string, ops: unknown[]): Promise<void> };
};

test('a fader ridden at 60 Hz while offline waits as one outbox entry; the chip says the session is saved', async ({ page, appUrl }) => {
  test.setTimeout(120_000 + MINUTES * 120_000);
  await openApp(page, appUrl);
  await createSession(page, 'Ride');
  await page.getByRole('button', { name: '+ Audio track' }).click();
  await page.getByRole('button', { name: 'Open the rack of Audio 1' }).click();
  await page.getByRole('combobox', { name: 'Add plugin' }).selectOption('filter');
  await expect(page.getByRole('slider', { name: 'Filter Cutoff' })).toBeVisible();
  await flush(page);
  const values = MINUTES * 60 * 60;
  const counts = await page.evaluate(async (n) => {
    const parts = (document.querySelector('ob-app') as unknown as { parts: Parts }).parts;
    const { ctl, store } = parts;
    const track = ctl.doc.tracks[0]!;
    const before = await store.outboxCount(ctl.doc.id);
    for (let i = 0; i < n; i += 1) {
      ctl.dispatch({ id: `ride_${i}`, type: 'PLUGIN_PARAMETER', data: { track_id: track.id, plugin_id: track.chain[0]!.id, parameter_id: 'cutoff', parameter_value: 100 + (i % 10_000) } });
      // Let the page breathe now and then, as 60 Hz input would.
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
    }
    await ctl.flush();
    return { before, after: await store.outboxCount(ctl.doc.id) };
  }, values);
  console.log(`outbox after ${values} durable values of one fader (${MINUTES} min at 60 Hz): ${counts.after - counts.before} record(s) for it`);
  expect(counts.after - counts.before).toBe(1);
  // No relay for this session: nothing is "waiting", it is saved.
  await expect(page.getByRole('status').filter({ hasText: /Local/ })).toHaveText('Local · saved');
  await page.reload();
  await expect(page.getByRole('slider', { name: 'Filter Cutoff' })).toHaveAttribute('aria-valuenow', String(100 + ((values - 1) % 10_000)));
});
