import { describe, expect, it } from 'vitest';
import { apply } from '../../src/model/index.ts';
import type { StampedOp } from '../../src/model/index.ts';
import { opId, Replica } from './fixtures.ts';

/** A session with one track holding a filter and an EQ, as a laptop would build it. */
function studio() {
  const laptop = new Replica('laptop');
  laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't1', name: 'Bass' } } });
  laptop.edit({ id: opId(), type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'f1', type: 'filter' } } });
  laptop.edit({ id: opId(), type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'eq1', type: 'eq' } } });
  return laptop;
}

function expectRejected(laptop: Replica, op: Parameters<Replica['edit']>[0], code: string, field: string, ...words: string[]) {
  const before = structuredClone(laptop.doc);
  const { result } = laptop.edit(op);
  expect(result.status).toBe('error');
  if (result.status !== 'error') return;
  expect(result.error.code).toBe(code);
  expect(result.error.field).toBe(field);
  for (const w of words) expect(result.error.message).toContain(w);
  expect(laptop.doc).toEqual(before);
}

describe('apply: a musician edits a session', () => {
  it('adds tracks and plugins with catalog defaults, in order', () => {
    const laptop = studio();
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't0', name: 'Kick' }, index: 0 } });
    expect(laptop.doc.tracks.map((t) => t.id)).toEqual(['t0', 't1']);
    const filter = laptop.doc.tracks[1]!.chain[0]!;
    expect(filter).toMatchObject({ type: 'filter', bypass: false, params: { mode: 0, cutoff: 1000, q: 0.707 } });
    expect(laptop.doc.tracks[1]!.gain_db).toBe(0);
  });

  it('sets a param, moves and bypasses a plugin, updates track and session', () => {
    const laptop = studio();
    expect(laptop.edit({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: 440 } }).result.status).toBe('applied');
    laptop.edit({ id: opId(), type: 'MOVE_PLUGIN', data: { track_id: 't1', plugin_id: 'eq1', index: 0 } });
    laptop.edit({ id: opId(), type: 'BYPASS_PLUGIN', data: { track_id: 't1', plugin_id: 'f1', bypass: true } });
    laptop.edit({ id: opId(), type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { gain_db: -6, mute: true } } });
    laptop.edit({ id: opId(), type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: 96 } } });
    const track = laptop.doc.tracks[0]!;
    expect(track.chain.map((p) => p.id)).toEqual(['eq1', 'f1']);
    expect(track.chain[1]).toMatchObject({ bypass: true, params: { cutoff: 440 } });
    expect(track).toMatchObject({ gain_db: -6, mute: true });
    expect(laptop.doc.tempo_bpm).toBe(96);
  });

  it('reorders tracks, and refuses to move the master bus', () => {
    const laptop = studio();
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't2', name: 'Keys' } } });
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't3', name: 'Pad' } } });
    laptop.edit({ id: opId(), type: 'MOVE_TRACK', data: { track_id: 't3', index: 0 } });
    laptop.edit({ id: opId(), type: 'MOVE_TRACK', data: { track_id: 't1', index: 2 } });
    expect(laptop.doc.tracks.map((t) => t.id)).toEqual(['t3', 't2', 't1']);
    expectRejected(laptop, { id: opId(), type: 'MOVE_TRACK', data: { track_id: 'master', index: 0 } }, 'INVALID_MESSAGE', 'data.track_id', 'master');
    expectRejected(laptop, { id: opId(), type: 'MOVE_TRACK', data: { track_id: 'nope', index: 0 } }, 'TRACK_NOT_FOUND', 'data.track_id', 'nope');
  });

  it('loads factory and session presets', () => {
    const laptop = studio();
    laptop.edit({ id: opId(), type: 'LOAD_PRESET', data: { track_id: 't1', plugin_id: 'eq1', preset_id: 'eq-vocal-presence' } });
    expect(laptop.doc.tracks[0]!.chain[1]!.params.mid2_gain).toBe(3);
    laptop.edit({ id: opId(), type: 'SAVE_PRESET', data: { preset: { id: 'mine', name: 'Mine', plugin_type: 'filter', params: { cutoff: 123 } } } });
    laptop.edit({ id: opId(), type: 'LOAD_PRESET', data: { track_id: 't1', plugin_id: 'f1', preset_id: 'mine' } });
    expect(laptop.doc.tracks[0]!.chain[0]!.params.cutoff).toBe(123);
    expect(laptop.doc.presets.map((p) => p.id)).toEqual(['mine']);
  });

  it('applies a batch in order, and rejects all of it when one op is bad', () => {
    const laptop = studio();
    const fader = (v: number) => ({ id: opId(), type: 'PLUGIN_PARAMETER' as const, data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: v } });
    laptop.edit({ id: opId(), type: 'BATCH', data: { ops: [fader(200), fader(300)] } });
    expect(laptop.doc.tracks[0]!.chain[0]!.params.cutoff).toBe(300);
    expectRejected(laptop, { id: opId(), type: 'BATCH', data: { ops: [fader(400), fader(99999)] } }, 'INVALID_PARAMETER', 'data.ops.1.data.parameter_value', 'ops[1]', 'cutoff', '20..20000 Hz');
  });
});

describe('apply: every refusal names what was wrong and changes nothing', () => {
  it('TRACK_NOT_FOUND', () => {
    expectRejected(studio(), { id: opId(), type: 'UPDATE_TRACK', data: { track_id: 'nope', changes: { mute: true } } }, 'TRACK_NOT_FOUND', 'data.track_id', 'nope');
  });
  it('PLUGIN_NOT_FOUND for an unknown plugin id and an unknown type', () => {
    expectRejected(studio(), { id: opId(), type: 'BYPASS_PLUGIN', data: { track_id: 't1', plugin_id: 'ghost', bypass: true } }, 'PLUGIN_NOT_FOUND', 'data.plugin_id', 'ghost');
    expectRejected(studio(), { id: opId(), type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'x', type: 'flanger' } } }, 'PLUGIN_NOT_FOUND', 'data.plugin.type', 'flanger');
  });
  it('INVALID_PARAMETER: out of range, unknown param, NaN, Infinity, wrong type, fractional choice', () => {
    const set = (parameter_id: string, parameter_value: unknown) =>
      ({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'f1', parameter_id, parameter_value } }) as Parameters<Replica['edit']>[0];
    expectRejected(studio(), set('cutoff', 5), 'INVALID_PARAMETER', 'data.parameter_value', 'cutoff', '20..20000 Hz');
    expectRejected(studio(), set('resonance', 1), 'INVALID_PARAMETER', 'data.parameter_id', 'resonance', 'cutoff');
    expectRejected(studio(), set('cutoff', Number.NaN), 'INVALID_PARAMETER', 'data.parameter_value', 'cutoff', 'NaN');
    expectRejected(studio(), set('q', Number.POSITIVE_INFINITY), 'INVALID_PARAMETER', 'data.parameter_value', 'q', 'Infinity');
    expectRejected(studio(), set('cutoff', '440'), 'INVALID_PARAMETER', 'data.parameter_value', 'cutoff', 'string');
    expectRejected(studio(), set('mode', 1.5), 'INVALID_PARAMETER', 'data.parameter_value', 'mode', 'lowpass');
    expectRejected(studio(), { id: opId(), type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'g', type: 'gain', params: { gain_db: 99 } } } }, 'INVALID_PARAMETER', 'data.plugin.params.gain_db', 'gain_db', '-60..24 dB');
  });
  it('PRESET_LOAD_FAILED: unknown preset, preset of another type', () => {
    const load = (preset_id: string) => ({ id: opId(), type: 'LOAD_PRESET' as const, data: { track_id: 't1', plugin_id: 'f1', preset_id } });
    expectRejected(studio(), load('no-such-preset'), 'PRESET_LOAD_FAILED', 'data.preset_id', 'no-such-preset');
    expectRejected(studio(), load('eq-air'), 'PRESET_LOAD_FAILED', 'data.preset_id', 'eq-air', 'eq', 'filter');
  });
  it('INVALID_MESSAGE: the master bus cannot be removed or added', () => {
    expectRejected(studio(), { id: opId(), type: 'REMOVE_TRACK', data: { track_id: 'master' } }, 'INVALID_MESSAGE', 'data.track_id', 'master');
    expectRejected(studio(), { id: opId(), type: 'ADD_TRACK', data: { track: { id: 'master' } } }, 'INVALID_MESSAGE', 'data.track.id', 'master');
  });
  it('SAVE_PRESET of an unknown type or bad values', () => {
    expectRejected(studio(), { id: opId(), type: 'SAVE_PRESET', data: { preset: { id: 'p', name: 'P', plugin_type: 'nope', params: {} } } }, 'PLUGIN_NOT_FOUND', 'data.preset.plugin_type', 'nope');
    expectRejected(studio(), { id: opId(), type: 'SAVE_PRESET', data: { preset: { id: 'p', name: 'P', plugin_type: 'delay', params: { feedback: 2 } } } }, 'INVALID_PARAMETER', 'data.preset.params.feedback', 'feedback', '0..0.95');
    const extra = { id: 'p', name: 'P', plugin_type: 'delay', params: {}, created_at: 1 } as unknown as { id: string; name: string; plugin_type: string; params: Record<string, number> };
    expectRejected(studio(), { id: opId(), type: 'SAVE_PRESET', data: { preset: extra } }, 'INVALID_MESSAGE', 'data.preset.created_at', 'created_at');
  });
});

describe('apply: conflicts', () => {
  it('a removal wins over a concurrent edit, which is superseded, not an error', () => {
    const laptop = studio();
    const tablet = new Replica('tablet', structuredClone(laptop.doc));
    const removal = laptop.edit({ id: opId(), type: 'REMOVE_TRACK', data: { track_id: 't1' } }).op;
    const edit = tablet.edit({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: 250 } }).op;
    const late = apply(laptop.doc, edit);
    expect(late.result).toMatchObject({ status: 'superseded' });
    expect(late.doc).toBe(laptop.doc);
    tablet.doc = apply(tablet.doc, removal).doc;
    expect(tablet.doc).toEqual(laptop.doc);
    expect(laptop.doc.tracks).toEqual([]);
  });

  it('the later clock wins a param, whichever arrives first', () => {
    const base = studio().doc;
    const write = (v: number, hlc: string): StampedOp => ({ id: opId(), type: 'PLUGIN_PARAMETER', hlc, data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: v } });
    const early = write(300, '001800000000000:00000:a');
    const later = write(600, '001800000000001:00000:b');
    const ab = apply(apply(base, early).doc, later).doc;
    const ba = apply(apply(base, later).doc, early);
    expect(ba.result.status).toBe('superseded');
    expect(ab).toEqual(ba.doc);
    expect(ab.tracks[0]!.chain[0]!.params.cutoff).toBe(600);
  });

  it('a duplicate op changes nothing the second time', () => {
    const laptop = studio();
    const { op } = laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't2' } } });
    const again = apply(laptop.doc, op);
    expect(again.result.status).toBe('superseded');
    expect(again.doc).toBe(laptop.doc);
  });
});
