// `outboard bench midi`: MIDI event timestamp -> the worklet applying the
// value, on the audio host, in real Chromium (issue 11: target p99 < 5 ms).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { ENGINE_WASM } from '../server/cli/engine-file.ts';
import { startAudioServer } from './app/audio-server.ts';
import { stubWebMidi } from './app/web-midi-stub.ts';
import { AUDIO_DEVICES, useAudioDevice, type AudioDevice } from './app/audio-device.ts';
import { BENCH_LAUNCH_ARGS, chromiumPath } from './chromium.mjs';
import { percentile } from './stats.ts';
import { printTable } from './table.ts';

const SAMPLES = 400;

/** Entry point called by `outboard bench midi`. */
export async function run(_args: string[]): Promise<void> {
  if (!existsSync(ENGINE_WASM)) throw new Error(`${ENGINE_WASM} is missing; build it with \`npm run build:wasm\` (\`npm run bench\` builds what is stale first)`);
  const server = await startAudioServer({ isolated: true, entries: { '/midi-bench.js': 'bench/app/midi-bench-page.ts' } });
  try {
    for (const device of AUDIO_DEVICES) await runOn(server.url, device);
  } finally {
    await server.close();
  }
}

/** One run on one audio device: a table per stage. */
async function runOn(url: string, device: AudioDevice): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: BENCH_LAUNCH_ARGS });
  try {
    const page = await browser.newPage();
    await useAudioDevice(page, device);
    await stubWebMidi(page);
    await page.goto(url);
    await page.addScriptTag({ type: 'module', url: '/midi-bench.js' });
    await page.waitForFunction(() => 'midiBench' in window);
    const r = await page.evaluate((n) => window.midiBench.midiLatency(n), SAMPLES);
    const row = (what: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return [what, percentile(s, 50), percentile(s, 99), s.at(-1) ?? NaN];
    };
    const quantum = (128 / r.sampleRate) * 1000;
    printTable(`MIDI CC -> engine param on the audio host, ${device.name}: ${r.total.length} messages 4-12 ms apart (a knob turning), ${r.sampleRate} Hz, `
      + `render quantum ${quantum.toFixed(2)} ms; the audio device wakes the worklet every ${r.wake.ms.toFixed(1)} ms for ${r.wake.quanta} quanta `
      + `(base latency ${r.baseLatency.toFixed(1)} ms, output ${r.outputLatency.toFixed(1)} ms); target: total p99 < 5 ms; machine load average ${loadavg()[0]!.toFixed(2)}`,
      ['stage', 'p50 ms', 'p99 ms', 'max ms'],
      [
        row('event timestamp -> app MIDI handler (task queue)', r.queued),
        row('handler: mapping -> op -> apply -> projection -> ring write', r.handler),
        row('ring write -> worklet applied (status block, main-thread spin)', r.worklet),
        row('total: event timestamp -> worklet applied', r.total),
        row(`worklet's own count, write stamp -> applied, in ms (quanta x ${quantum.toFixed(2)})`, r.quanta.map((q) => q * quantum)),
      ]);
  } finally {
    await browser.close();
  }
}
