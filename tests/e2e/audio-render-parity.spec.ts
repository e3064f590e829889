import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cliBin } from '../../server/package-info.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';
import { decodeWav } from '../../wasm/host/wav.ts';
import { expect, startEngine, test } from './fixtures/audio-test.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = 2;

/** The reference session: a synth through EQ, compressor, delay and reverb, and a reverb send bus. */
const session = SessionDocumentSchema.parse({
  format: 'outboard.session/1', id: 'parity', name: 'Parity', tempo_bpm: 132,
  tracks: [
    {
      id: 'lead', name: 'Lead', gain_db: -3, pan: -0.2,
      pattern: { steps: [60, null, 63, 67, null, 70, 67, null, 58, null, 60, 62, null, 63, null, 55] },
      chain: [
        { id: 'syn', type: 'synth', params: { waveform: 0, cutoff: 3200, resonance: 0.3, release_ms: 180 } },
        { id: 'eq', type: 'eq', params: { low_gain: 4, mid1_gain: -5, mid2_gain: 3, high_gain: -3 } },
        { id: 'cmp', type: 'compressor', params: { threshold_db: -24, ratio: 6, knee_db: 6, makeup_db: 4 } },
        { id: 'dly', type: 'delay', params: { time_ms: 227, feedback: 0.45, mix: 0.3 } },
        { id: 'rev', type: 'reverb', params: { room_size: 0.6, mix: 0.2 } },
      ],
      sends: [{ target: 'hall', gain_db: -10 }],
    },
    { id: 'hall', name: 'Hall', source: { kind: 'bus' }, chain: [{ id: 'hall-rev', type: 'reverb', params: { room_size: 0.85, mix: 1 } }] },
  ],
  master: { id: 'master', name: 'Master', gain_db: -2 },
});

test.describe('Export WAV in Chromium equals `outboard render` in Node', () => {
  test('the browser offline render of the reference session matches the CLI render of the same document', async ({ page, isolatedServer }) => {
    const dir = await mkdtemp(join(tmpdir(), 'outboard-parity-'));
    try {
      await writeFile(join(dir, 'session.json'), JSON.stringify(session));
      await promisify(execFile)(process.execPath, [cliBin(), 'render', join(dir, 'session.json'), join(dir, 'node.wav'), '--seconds', String(SECONDS)], { cwd: ROOT });
      const node = decodeWav(await readFile(join(dir, 'node.wav')));
      if (!node.ok) throw new Error(node.error.message);

      await startEngine(page, isolatedServer.url, session);
      const base64 = await page.evaluate(({ doc, seconds }) => window.audioTest.exportBase64(doc, seconds), { doc: session, seconds: SECONDS });
      const browser = decodeWav(new Uint8Array(Buffer.from(base64, 'base64')));
      if (!browser.ok) throw new Error(browser.error.message);

      expect(browser.value.sampleRate).toBe(48_000);
      expect(browser.value.channels.length).toBe(2);
      expect(browser.value.channels[0]!.length).toBe(node.value.channels[0]!.length);
      let maxDiff = 0;
      let peak = 0;
      let identical = true;
      for (let c = 0; c < 2; c++) {
        const a = browser.value.channels[c]!;
        const b = node.value.channels[c]!;
        for (let i = 0; i < a.length; i++) {
          if (!Object.is(a[i], b[i])) identical = false;
          maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
          peak = Math.max(peak, Math.abs(b[i]!));
        }
      }
      expect(peak).toBeGreaterThan(0.05); // the reference is not silence
      const residualDb = maxDiff > 0 ? 20 * Math.log10(maxDiff) : -Infinity;
      test.info().annotations.push({ type: 'parity', description: identical ? 'bit-identical' : `worst residual ${residualDb.toFixed(1)} dBFS` });
      expect(identical || residualDb < -90).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('Export WAV downloads the session as a float WAV file', async ({ page, isolatedServer }) => {
    await startEngine(page, isolatedServer.url, session);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export WAV' }).click()]);
    expect(download.suggestedFilename()).toBe('Parity.wav');
    const wav = decodeWav(await readFile(await download.path()));
    if (!wav.ok) throw new Error(wav.error.message);
    expect(wav.value).toMatchObject({ sampleRate: 48_000, float: true, bitsPerSample: 32 });
    expect(wav.value.channels[0]!.length).toBe(48_000);
  });
});
