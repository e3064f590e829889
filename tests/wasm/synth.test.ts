import { describe, expect, it } from 'vitest';
import { DEFAULT_PATTERN } from '../../src/plugins/index.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';
import { db, engine, powerSpectrum, project } from './helpers.ts';

const FS = 48000;

describe('synth', () => {
  it('keeps the energy aliased below the fundamental of a 5 kHz saw under -60 dB at 48 kHz', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { waveform: 0, cutoff: 20000, resonance: 0, attack_ms: 0.5, sustain: 1, level_db: 0, voices: 1 });
    const note = 69 + 12 * Math.log2(5000 / 440); // exactly 5 kHz
    core.noteOn(0, note, 1);
    const n = 1 << 14;
    const skip = 4096; // past the attack
    const out = new Float32Array(n);
    for (let done = 0; done < skip + n; done += core.blockSize) {
      core.process();
      if (done >= skip) out.set(core.output[0], done - skip);
    }
    const spectrum = powerSpectrum(out);
    const binHz = FS / n;
    let total = 0, below = 0;
    spectrum.forEach((p, k) => {
      total += p;
      // Below the fundamental, clear of its window skirt (the 4-term Blackman-Harris main lobe is +-4 bins).
      if (k * binHz < 5000 - 8 * binHz && k > 8) below += p;
    });
    expect(10 * Math.log10(below / total)).toBeLessThan(-60);
  });

  it('plays the default pattern on a new instrument track, so Play always makes sound', async () => {
    const core = await engine(FS);
    const { graph } = project(core, SessionDocumentSchema.parse({
      format: 'outboard.session/1', id: 's1', name: 'x', tempo_bpm: 120,
      tracks: [{ id: 't1', name: 'Synth', chain: [{ id: 'p1', type: 'synth' }] }],
    }));
    core.play();
    let energy = 0;
    // One bar at 120 bpm = 2 s.
    for (let b = 0; b < (2 * FS) / core.blockSize; b++) {
      core.process();
      for (const v of core.output[0]) energy += v * v;
    }
    expect(DEFAULT_PATTERN.steps.some((s) => s !== null)).toBe(true);
    expect(energy).toBeGreaterThan(1);
    expect(db(core.meters[2 * graph.slotOf('t1')!]!)).toBeGreaterThan(-40);
  });

  it('is silent when stopped, and releases its notes on stop', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { release_ms: 10 });
    core.setPattern(0, DEFAULT_PATTERN.steps);
    core.play();
    for (let b = 0; b < 20; b++) core.process();
    core.stop();
    for (let b = 0; b < 40; b++) core.process();
    expect(core.output[0].every((v) => v === 0)).toBe(true);
  });
});

describe('synth envelope', () => {
  it('a note held at sustain 0 decays to exact silence, never through subnormal floats', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { sustain: 0, decay_ms: 50, cutoff: 20000 });
    core.noteOn(0, 60, 1);
    let subnormal = 0, lastSound = 0;
    // Ten seconds held: the decay crossed the subnormal range after ~0.6 s and stuck at the smallest subnormal.
    for (let b = 0, frame = 0; b < (10 * FS) / core.blockSize; b++) {
      core.process();
      for (const v of core.output[0]) {
        frame++;
        if (v !== 0 && Math.abs(v) < 2 ** -126) subnormal++;
        if (v !== 0) lastSound = frame;
      }
    }
    expect(subnormal).toBe(0);
    expect(lastSound / FS).toBeLessThan(1);
  });
});

describe('synth waveform', () => {
  it('a held note switched to triangle stays centred, with no DC offset or thump', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { waveform: 0, sustain: 1, cutoff: 20000, resonance: 0, level_db: 0 });
    core.noteOn(0, 45, 1);
    const out: number[] = [];
    for (let b = 0; b < 200; b++) {
      if (b === 100) core.setParam(0, 0, 0, 2);
      core.process();
      out.push(...core.output[0]);
    }
    // Four periods of the 110 Hz note, just after the switch and 0.1 s later.
    for (const at of [100 * 128 + 480, 100 * 128 + 4800]) {
      const seg = out.slice(at, at + 4 * (FS / 110));
      // The triangle integrated on from its value at note on: centred at -1.1, swinging to -2.2, for half a second.
      expect(Math.abs(seg.reduce((a, v) => a + v, 0) / seg.length)).toBeLessThan(0.02);
      expect(Math.max(...seg.map(Math.abs))).toBeLessThan(1.05);
    }
  });
});

describe('synth waveform change', () => {
  it('crossfades a held note from one waveform to the next over 5 ms instead of jumping between them', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { waveform: 3, sustain: 1, cutoff: 20000, resonance: 0, level_db: 0 });
    core.noteOn(0, 45, 1);
    const out: number[] = [];
    for (let b = 0; b < 200; b++) {
      if (b === 100) core.setParam(0, 0, 0, 2); // sine -> triangle, a third of a cycle in: 0.87 against 0.33
      if (b === 150) core.setParam(0, 0, 0, 3); // and back
      core.process();
      out.push(...core.output[0]);
    }
    let largest = 0;
    for (let i = 50 * 128; i < out.length; i++) largest = Math.max(largest, Math.abs((out[i] as number) - (out[i - 1] as number)));
    // The 110 Hz sine's own largest step is 0.014; switching in one sample stepped by 0.5.
    expect(largest).toBeLessThan(0.025);
  });
});

describe('synth bypass', () => {
  it('a note released while the synth is bypassed does not sound again when it is switched back on', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { sustain: 1, release_ms: 10 });
    core.noteOn(0, 60, 1);
    for (let b = 0; b < 50; b++) core.process();
    core.setBypass(0, 0, true);
    for (let b = 0; b < 10; b++) core.process();
    core.noteOff(0, 60);
    for (let b = 0; b < 10; b++) core.process();
    core.setBypass(0, 0, false);
    // The bypassed synth never saw the note-off: switched back on, its voice went on sounding (0.23) for good.
    let peak = 0;
    for (let b = 0; b < 400; b++) {
      core.process();
      for (const v of core.output[0]) peak = Math.max(peak, Math.abs(v));
    }
    expect(peak).toBe(0);
  });
});

describe('synth over MIDI', () => {
  it('plays held notes polyphonically and releases them on note off', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { waveform: 3, attack_ms: 1, release_ms: 20, sustain: 1, voices: 4 });
    const rms = (blocks: number) => {
      let e = 0;
      for (let b = 0; b < blocks; b++) {
        core.process();
        for (const v of core.output[0]) e += v * v;
      }
      return Math.sqrt(e / (blocks * core.blockSize));
    };
    expect(rms(10)).toBe(0);
    core.noteOn(0, 60, 1);
    const one = rms(100);
    core.noteOn(0, 64, 1);
    core.noteOn(0, 67, 1);
    const three = rms(100);
    expect(one).toBeGreaterThan(0.01);
    // Three sines at equal level: about sqrt(3) times the RMS of one.
    expect(three / one).toBeGreaterThan(1.5);
    core.noteOff(0, 60);
    core.noteOff(0, 64);
    core.noteOff(0, 67);
    rms(100);
    expect(rms(10)).toBe(0);
  });
});

describe('pattern timing', () => {
  it('plays every step exactly once across block boundaries, at a tempo whose steps are not whole samples', async () => {
    const core = await engine(FS);
    core.setTrackActive(0, true);
    core.insertPlugin(0, 0, 'synth', { waveform: 3, attack_ms: 0.5, release_ms: 1, sustain: 1 });
    core.setPattern(0, Array.from({ length: 16 }, () => 72));
    core.setTempo(97); // a sixteenth = 7422.68 samples
    core.play();
    const bars = 3;
    // Up to half a step before the next bar would start.
    const frames = Math.floor((bars * 16 - 0.5) * ((60 * FS) / 97 / 4));
    let onsets = 0, silent = 1000;
    for (let done = 0; done < frames; done += core.blockSize) {
      core.process();
      for (const [i, v] of core.output[0].entries()) {
        if (done + i >= frames) break;
        if (v === 0) silent++;
        else {
          if (silent > 100) onsets++;
          silent = 0;
        }
      }
    }
    expect(onsets).toBe(bars * 16);
  });
});
