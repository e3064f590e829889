import { expect, masterMeterDb, startEngine, synthSession, test } from './fixtures/audio-test.ts';

test.describe('without cross-origin isolation the whole path uses port messages', () => {
  test('a page served without COOP/COEP plays, meters, takes knob turns and exports, with the engine compiled inside the worklet', async ({ page, plainServer }) => {
    await startEngine(page, plainServer.url, synthSession(), { transport: 'bytes' });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('undefined');
    expect(await page.evaluate(() => window.audioTest.engine().processorStatus())).toMatchObject({ ready: true, wasmTransport: 'bytes', sharedMemory: false });
    expect(await page.evaluate(() => window.audioTest.engine().info().sharedMemory)).toBe(false);

    // Play: meters arrive as copies over the port, once per frame.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => masterMeterDb(page), { timeout: 5_000 }).toBeGreaterThan(-40);

    // Knob turns travel as port messages and are all applied.
    await expect.poll(() => page.evaluate(() => window.audioTest.engine().playing)).toBe(true);
    await page.waitForTimeout(100);
    const applied = await page.evaluate(async () => {
      const engine = window.audioTest.engine();
      const before = engine.stats().applied;
      const track = window.audioTest.document().tracks[0]!;
      for (let i = 0; i < 10; i++) {
        window.audioTest.dispatch({ id: `op_k${i}`, type: 'PLUGIN_PARAMETER', data: {
          track_id: track.id, plugin_id: track.chain[1]!.id, parameter_id: 'low_gain', parameter_value: i + 1,
        } });
        await new Promise((r) => setTimeout(r, 20));
      }
      for (let t = 0; t < 200 && engine.stats().applied - before < 10; t++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100)); // and nothing more arrives
      return engine.stats().applied - before;
    });
    expect(applied).toBe(10);

    // A fader pulled all the way down silences the master.
    await page.evaluate(() => {
      window.audioTest.dispatch({ id: 'op_mute', type: 'UPDATE_TRACK', data: { track_id: 'master', changes: { mute: true } } });
    });
    await expect.poll(() => masterMeterDb(page), { timeout: 10_000 }).toBeLessThan(-60);

    // Export WAV renders offline through the same worklet.
    const wav = await page.evaluate(() => {
      const doc = structuredClone(window.audioTest.document());
      doc.master.mute = false;
      return window.audioTest.exportSummary(doc, 1);
    });
    expect(wav).toMatchObject({ type: 'audio/wav', sampleRate: 48_000, channels: 2, frames: 48_000, float: true });
    expect(wav.peak).toBeGreaterThan(0.01);
    // Progress is reported while rendering, rising to 1.
    expect(wav.progress.length).toBeGreaterThanOrEqual(3);
    expect(wav.progress.at(-1)).toBe(1);
    expect(wav.progress).toEqual([...wav.progress].sort((a, b) => a - b));
  });
});
