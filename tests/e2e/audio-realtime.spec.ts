import { expect, masterMeterDb, startEngine, synthSession, test } from './fixtures/audio-test.ts';

test.describe('the engine runs live in an AudioWorklet, with shared memory', () => {
  test('after Play the master meter reads signal; after Stop it falls back', async ({ page, isolatedServer }) => {
    await startEngine(page, isolatedServer.url, synthSession());
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const info = await page.evaluate(() => window.audioTest.engine().info());
    expect(info).toMatchObject({ sharedMemory: true, state: 'running', sampleRate: 48_000 });
    expect(await page.evaluate(() => window.audioTest.engine().processorStatus())).toMatchObject({ ready: true, wasmTransport: 'module', sharedMemory: true });
    expect(await masterMeterDb(page)).toBeLessThan(-100);

    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => masterMeterDb(page), { timeout: 5_000 }).toBeGreaterThan(-40);
    const load = await page.evaluate(() => window.audioTest.engine().stats());
    expect(load.quanta).toBeGreaterThan(0);
    expect(load.load).toBeGreaterThanOrEqual(0);
    expect(load.load).toBeLessThan(1);

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => masterMeterDb(page), { timeout: 10_000 }).toBeLessThan(-60);
  });

  test('a knob written through shared memory is applied within one render quantum, as the worklet measures it', async ({ page, isolatedServer }) => {
    await startEngine(page, isolatedServer.url, synthSession());
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.evaluate(() => window.audioTest.engine().playing)).toBe(true);
    await page.waitForTimeout(50); // the Play record itself has been applied
    // Twenty turns of the EQ's low gain at irregular moments, so writes land at every phase of a quantum.
    const result = await page.evaluate(async () => {
      const engine = window.audioTest.engine();
      const before = engine.stats().applied;
      const track = window.audioTest.document().tracks[0]!;
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 5 + ((i * 7) % 23)));
        window.audioTest.dispatch({ id: `op_k${i}`, type: 'PLUGIN_PARAMETER', data: {
          track_id: track.id, plugin_id: track.chain[1]!.id, parameter_id: 'low_gain', parameter_value: (i % 12) - 6.5,
        } });
      }
      // Wait (up to 2 s, for a loaded machine) until the worklet has drained them all.
      for (let t = 0; t < 200 && engine.stats().applied - before < 20; t++) await new Promise((r) => setTimeout(r, 10));
      const s = engine.stats();
      return { applied: s.applied - before, latency: s.paramLatency };
    });
    expect(result.applied).toBe(20);
    // Quanta between the write (stamped with the worklet's quantum counter as
    // the UI saw it) and the quantum whose processing applied it: 0 means the
    // very next quantum; 1 means the write raced that quantum's start.
    expect(result.latency.worst).toBeGreaterThanOrEqual(0);
    expect(result.latency.worst).toBeLessThanOrEqual(1);
  });

  test('one BATCH inserts a plugin and turns the knob of the one it pushed along: the knob lands on its plugin', async ({ page, isolatedServer }) => {
    const tracks = [{ id: 'lead', name: 'Lead', chain: [{ id: 'syn', type: 'synth' }, { id: 'out', type: 'gain', params: { gain_db: 0 } }] }];
    await startEngine(page, isolatedServer.url, synthSession({ tracks }));
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => masterMeterDb(page), { timeout: 5_000 }).toBeGreaterThan(-40);
    // The insert moves "out" from chain position 1 to 2; its knob, turned in the same BATCH, is addressed to
    // position 2. Through the ring it would be applied before the insert lands, to a position that does not exist yet.
    await page.evaluate(() => window.audioTest.dispatch({ id: 'op_b', type: 'BATCH', data: { ops: [
      { id: 'op_ins', type: 'ADD_PLUGIN', data: { track_id: 'lead', plugin: { id: 'mid', type: 'gain' }, index: 1 } },
      { id: 'op_knob', type: 'PLUGIN_PARAMETER', data: { track_id: 'lead', plugin_id: 'out', parameter_id: 'gain_db', parameter_value: -60 } },
    ] } }));
    await expect.poll(() => masterMeterDb(page), { timeout: 10_000 }).toBeLessThan(-55);
  });
});
