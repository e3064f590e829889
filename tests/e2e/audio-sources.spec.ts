import { encodeWav } from '../../wasm/host/wav.ts';
import { expect, masterMeterDb, startEngine, synthSession, test } from './fixtures/audio-test.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';

/** Half a second of a 440 Hz tone at 44.1 kHz, as a 16-bit WAV file. */
function toneWav(): string {
  const rate = 44_100;
  const tone = Float32Array.from({ length: rate / 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return Buffer.from(encodeWav({ sampleRate: rate, channels: 1, bits: 16, float: false }, [tone])).toString('base64');
}

/** A fake Web MIDI keyboard: `window.fakeMidi.send([...])` plays into every listener. */
function installFakeMidi(): void {
  const input = { id: 'fake-1', name: 'Fake Keys', onmidimessage: null as ((e: { data: Uint8Array }) => void) | null };
  const access = { inputs: new Map([[input.id, input]]), outputs: new Map(), onstatechange: null };
  Object.defineProperty(navigator, 'requestMIDIAccess', { value: async () => access });
  (window as unknown as { fakeMidi: unknown }).fakeMidi = { send: (bytes: number[]) => input.onmidimessage?.({ data: new Uint8Array(bytes) }) };
}

test.describe('sources: an audio file, a MIDI keyboard', () => {
  test('an audio file is decoded, loaded and loops under the transport', async ({ page, isolatedServer }) => {
    const doc = SessionDocumentSchema.parse({
      format: 'outboard.session/1', id: 'file', name: 'File', tracks: [{ id: 'loop', name: 'Loop', source: { kind: 'file', sample_id: 'tone' } }],
    });
    await startEngine(page, isolatedServer.url, doc);
    const loaded = await page.evaluate((b64) => window.audioTest.loadSample('tone', b64), toneWav());
    // decodeAudioData resamples to the context rate.
    expect(loaded).toEqual({ sampleRate: 48_000, frames: 24_000 });
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => masterMeterDb(page), { timeout: 5_000 }).toBeGreaterThan(-20);
    // Well past the half-second file, the loop still sounds.
    await page.waitForTimeout(1_500);
    const rms = await page.evaluate(() => window.audioTest.engine().levels().get('loop')!.rms);
    expect(rms).toBeGreaterThan(-20);
  });

  test('a MIDI keyboard plays the synth, with the transport stopped', async ({ page, isolatedServer }) => {
    await page.addInitScript(installFakeMidi);
    await startEngine(page, isolatedServer.url, synthSession());
    await page.evaluate(() => window.audioTest.engine().resume());
    const status = await page.evaluate(() => window.audioTest.engine().enableMidi());
    expect(status).toEqual({ available: true, inputs: ['Fake Keys'] });
    expect(await masterMeterDb(page)).toBeLessThan(-100);
    await page.evaluate(() => (window as unknown as { fakeMidi: { send(b: number[]): void } }).fakeMidi.send([0x90, 60, 110]));
    await expect.poll(() => masterMeterDb(page), { timeout: 5_000 }).toBeGreaterThan(-40);
    await page.evaluate(() => (window as unknown as { fakeMidi: { send(b: number[]): void } }).fakeMidi.send([0x80, 60, 0]));
    await expect.poll(() => masterMeterDb(page), { timeout: 10_000 }).toBeLessThan(-60);
  });
});
