import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from '../../bench/chromium.mjs';
import { encodeWav } from '../../wasm/host/wav.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';
import { expect, masterMeterDb, startEngine, test } from './fixtures/audio-test.ts';

// Chromium's fake capture device plays this file as the "microphone": a steady 330 Hz tone.
const TONE = join(tmpdir(), 'outboard-fake-input.wav');
const rate = 48_000;
writeFileSync(TONE, encodeWav({ sampleRate: rate, channels: 1, bits: 16, float: false },
  [Float32Array.from({ length: rate * 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 330 * i) / rate))]));

test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${TONE}`,
    ],
  },
});

test('live input: Play opens the input with voice processing off, and it reaches the master meter', async ({ page, isolatedServer }) => {
  const doc = SessionDocumentSchema.parse({
    format: 'outboard.session/1', id: 'live', name: 'Live', tracks: [{ id: 'mic', name: 'Mic', source: { kind: 'input' } }],
  });
  await startEngine(page, isolatedServer.url, doc);
  expect(await masterMeterDb(page)).toBeLessThan(-100);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => masterMeterDb(page), { timeout: 10_000 }).toBeGreaterThan(-30);
  const settings = await page.evaluate(() => window.audioTest.engine().inputSettings());
  expect(settings).toMatchObject({ echoCancellation: false, noiseSuppression: false, autoGainControl: false });
});
