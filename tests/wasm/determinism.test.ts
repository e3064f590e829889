import { describe, expect, it } from 'vitest';
import { SessionDocumentSchema, type SessionDocument } from '../../src/protocol/session.ts';
import { engine, project } from './helpers.ts';

const FS = 44100;

/** A session using every plugin: two synth tracks, effects, a reverb bus, a master chain. */
export function everyPluginSession(): SessionDocument {
  return SessionDocumentSchema.parse({
    format: 'outboard.session/1', id: 'det', name: 'determinism', tempo_bpm: 132,
    tracks: [
      { id: 'lead', name: 'Lead', chain: [
        { id: 's', type: 'synth', params: { waveform: 1, resonance: 0.6 } },
        { id: 'd', type: 'drive' }, { id: 'c', type: 'chorus' }, { id: 'e', type: 'eq', params: { mid1_gain: 4 } },
      ], sends: [{ target: 'verb', gain_db: -6 }] },
      { id: 'bass', name: 'Bass', pan: -0.4, pattern: { steps: [36, null, 36, null, 43, null, 36, null, 36, null, 34, null, 36, null, 43, 46] }, chain: [
        { id: 's', type: 'synth', params: { waveform: 2 } }, { id: 'f', type: 'filter', params: { mode: 1, cutoff: 60 } },
        { id: 'k', type: 'compressor' }, { id: 'l', type: 'delay', params: { time_ms: 227 } }, { id: 'g', type: 'gain', params: { gain_db: -3 } },
      ], sends: [{ target: 'verb', gain_db: -12 }] },
      { id: 'verb', name: 'Verb', source: { kind: 'bus' }, chain: [{ id: 'r', type: 'reverb', params: { predelay_ms: 20 } }] },
    ],
    master: { id: 'master', name: 'Master', gain_db: -2, chain: [{ id: 'm', type: 'compressor', params: { threshold_db: -10 } }] },
  });
}

async function render(doc: SessionDocument, seconds: number): Promise<Float32Array> {
  const core = await engine(FS);
  project(core, doc);
  core.play();
  const blocks = Math.ceil((seconds * FS) / core.blockSize);
  const out = new Float32Array(blocks * core.blockSize * 2);
  for (let b = 0; b < blocks; b++) {
    core.process();
    out.set(core.output[0], b * core.blockSize * 2);
    out.set(core.output[1], b * core.blockSize * 2 + core.blockSize);
  }
  return out;
}

describe('determinism', () => {
  it('renders a session with every plugin bit-identically, run after run', async () => {
    const doc = everyPluginSession();
    const a = await render(doc, 3);
    const b = await render(doc, 3);
    expect(a.some((v) => v !== 0)).toBe(true);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });

  it('reset() rewinds to the same output as a fresh engine', async () => {
    const core = await engine(FS);
    project(core, everyPluginSession());
    core.play();
    const take = () => {
      const out: number[] = [];
      for (let b = 0; b < 200; b++) {
        core.process();
        out.push(...core.output[0]);
      }
      return out;
    };
    const first = take();
    core.reset();
    expect(take()).toEqual(first);
  });
});

describe('real-time safety', () => {
  it('processing never grows memory: the host views stay the same objects', async () => {
    const core = await engine(FS);
    project(core, everyPluginSession());
    core.play();
    const before = core.output[0];
    const meters = core.meters;
    for (let b = 0; b < 2000; b++) core.process();
    expect(core.output[0]).toBe(before);
    expect(core.meters).toBe(meters);
    expect(before.byteLength).toBe(128 * 4);
  });
});
