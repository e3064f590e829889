import { describe, expect, it } from 'vitest';
import { apply, createSession, documentToOps, mergeDocument, newerSessionFormat, parseSessionDocument } from '../../src/model/index.ts';
import { opId, Replica } from './fixtures.ts';

const LATER = '001900000000000:00000:relay';

function expectError(input: unknown, code: string, field: string | undefined, ...words: string[]) {
  const result = parseSessionDocument(input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(code);
  expect(result.error.field).toBe(field);
  for (const w of words) expect(result.error.message).toContain(w);
}

describe('parseSessionDocument: a session file from outside', () => {
  const minimal = { format: 'outboard.session/1', id: 's1', name: 'Song' };

  it('fills defaults and catalog params for a hand-written file, in written order', () => {
    const result = parseSessionDocument(JSON.stringify({
      ...minimal,
      tracks: [
        { id: 'b', name: 'B', chain: [{ id: 'f', type: 'filter', params: { cutoff: 200 } }, { id: 'g', type: 'gain' }] },
        { id: 'a', name: 'A' },
      ],
    }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.tracks.map((t) => t.id)).toEqual(['b', 'a']);
    expect(result.value.tracks[0]!.chain.map((p) => p.id)).toEqual(['f', 'g']);
    expect(result.value.tracks[0]!.chain[0]!.params).toEqual({ mode: 0, cutoff: 200, q: 0.707 });
    expect(result.value.tempo_bpm).toBe(120);
    expect(result.value.master.id).toBe('master');
  });

  it('refuses broken files, naming the culprit', () => {
    expectError('not json', 'INVALID_MESSAGE', undefined, 'JSON');
    expectError(42, 'INVALID_MESSAGE', undefined, 'object');
    expectError({ ...minimal, format: 'outboard.session/99' }, 'INVALID_MESSAGE', 'format', 'outboard.session/99');
    expectError({ ...minimal, tempo_bpm: 'fast' }, 'INVALID_MESSAGE', 'tempo_bpm');
    expectError({ ...minimal, tracks: [{ id: 't', name: 'T', chain: [{ id: 'x', type: 'phaser' }] }] }, 'PLUGIN_NOT_FOUND', 'tracks.0.chain.0.type', 'phaser');
    expectError({ ...minimal, tracks: [{ id: 't', name: 'T', chain: [{ id: 'x', type: 'delay', params: { feedback: 3 } }] }] }, 'INVALID_PARAMETER', 'tracks.0.chain.0.params.feedback', 'feedback');
    expectError({ ...minimal, tracks: [{ id: 't', name: 'T' }, { id: 't', name: 'U' }] }, 'INVALID_MESSAGE', 'tracks.1.id', 'twice');
    expectError({ ...minimal, tracks: [{ id: 't', name: 'T', chain: [{ id: 'x', type: 'gain' }, { id: 'x', type: 'eq' }] }] }, 'INVALID_MESSAGE', 'tracks.0.chain.1.id', 'twice');
    expectError({ ...minimal, presets: [{ id: 'p', name: 'P', plugin_type: 'warp', params: {} }] }, 'PLUGIN_NOT_FOUND', 'presets.0.plugin_type', 'warp');
    expectError({ ...minimal, presets: [{ id: 'p', name: 'P', plugin_type: 'gain', params: { gain_db: 100 } }] }, 'INVALID_PARAMETER', 'presets.0.params.gain_db', 'gain_db');
  });
});

describe('newerSessionFormat: a file this app is too old to read', () => {
  it('names a later outboard.session version, and nothing else', () => {
    expect(newerSessionFormat('{"format":"outboard.session/2","id":"s"}')).toBe('outboard.session/2');
    expect(newerSessionFormat('{"format":"outboard.session/10"}')).toBe('outboard.session/10');
    for (const other of ['{"format":"outboard.session/1"}', '{"format":"outboard.session/0"}', '{"format":"outboard.session/2x"}',
      '{"format":"something/else"}', '{"title":"shopping list"}', 'null', '[1]', 'not json']) {
      expect(newerSessionFormat(other), other).toBeUndefined();
    }
  });
});

describe('mergeDocument: a session made offline is published', () => {
  it('merges like its ops would: newer writes win on both sides, removals carry over', () => {
    const laptop = new Replica('lap');
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't1', name: 'Bass', chain: [{ id: 'f1', type: 'filter' }] } } });
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't2', name: 'Gone' } } });
    const relayDoc = structuredClone(laptop.doc);

    // Offline on the train: the laptop edits, removes a track, adds one, saves a preset.
    laptop.edit({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: 300 } });
    laptop.edit({ id: opId(), type: 'BYPASS_PLUGIN', data: { track_id: 't1', plugin_id: 'f1', bypass: true } });
    laptop.edit({ id: opId(), type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { gain_db: -3 } } });
    laptop.edit({ id: opId(), type: 'REMOVE_TRACK', data: { track_id: 't2' } });
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't3', name: 'Pad', chain: [{ id: 's', type: 'synth' }, { id: 'd', type: 'delay' }] } } });
    laptop.edit({ id: opId(), type: 'MOVE_PLUGIN', data: { track_id: 't3', plugin_id: 'd', index: 0 } });
    laptop.edit({ id: opId(), type: 'MOVE_TRACK', data: { track_id: 't3', index: 0 } });
    laptop.edit({ id: opId(), type: 'SAVE_PRESET', data: { preset: { id: 'dark', name: 'Dark', plugin_type: 'filter', params: { cutoff: 300 } } } });
    laptop.edit({ id: opId(), type: 'UPDATE_TRACK', data: { track_id: 'master', changes: { gain_db: -1 } } });

    const merged = mergeDocument(relayDoc, laptop.doc, LATER);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.doc).toEqual(laptop.doc);
    expect(merged.value.ops.length).toBeGreaterThan(0);
    // Publishing the same document again changes nothing.
    const again = mergeDocument(merged.value.doc, laptop.doc, LATER);
    expect(again.ok && again.value.ops).toEqual([]);
  });

  it('loses to a newer write made elsewhere', () => {
    const laptop = new Replica('lap', createSession({ id: 's', name: 'S' }), () => 1_000);
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: 't1', chain: [{ id: 'f1', type: 'filter' }] } } });
    const tablet = new Replica('tab', structuredClone(laptop.doc), () => 5_000);
    laptop.edit({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: 300 } });
    tablet.edit({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'f1', parameter_id: 'cutoff', parameter_value: 900 } });
    const merged = mergeDocument(tablet.doc, laptop.doc, LATER);
    expect(merged.ok && merged.value.doc.tracks[0]!.chain[0]!.params.cutoff).toBe(900);
  });

  it('gives a hand-made file the fallback clock', () => {
    const parsed = parseSessionDocument({ format: 'outboard.session/1', id: 's', name: 'Hand made', tracks: [{ id: 'x', name: 'X' }] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const ops = documentToOps(parsed.value, LATER);
    expect(ops.every((o) => o.hlc === LATER)).toBe(true);
    let doc = createSession({ id: 's', name: 'Old' });
    for (const op of ops) doc = apply(doc, op).doc;
    expect(doc.name).toBe('Hand made');
    expect(doc.tracks.map((t) => t.id)).toEqual(['x']);
  });

  it('stops on a bad document and leaves the target as it was', () => {
    const target = createSession({ id: 's', name: 'S' });
    const bad = { ...createSession({ id: 's', name: 'S' }), tracks: [{ ...createSession({ id: 'x', name: 'x' }).master, id: 'x', chain: [{ id: 'p', type: 'nope', bypass: false, params: {} }] }] };
    const merged = mergeDocument(target, bad, LATER);
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.error.code).toBe('PLUGIN_NOT_FOUND');
  });
});
