import { describe, expect, it } from 'vitest';
import { SessionDocumentSchema, type SessionDocument } from '../../src/protocol/session.ts';
import { diffDocuments } from '../../src/engine/document-diff.ts';

const base: SessionDocument = SessionDocumentSchema.parse({
  format: 'outboard.session/1', id: 's1', name: 'Song', tempo_bpm: 120,
  tracks: [{ id: 't1', name: 'Lead', chain: [{ id: 'p1', type: 'synth' }, { id: 'p2', type: 'eq', params: { low_gain: 0 } }] }],
});

function edit(f: (d: SessionDocument) => void): SessionDocument {
  const d = structuredClone(base);
  f(d);
  return d;
}

describe('projecting document changes onto the engine', () => {
  it('a knob turn is a param write through the ring, addressed by catalog index', () => {
    const next = edit((d) => { d.tracks[0]!.chain[1]!.params.low_gain = -3; });
    expect(diffDocuments(base, next)).toEqual({
      structural: false,
      changes: [{ kind: 'param', track: 't1', plugin: 'p2', index: 1, value: -3 }],
    });
  });

  it('faders, pan and mute ride the ring too', () => {
    const next = edit((d) => { d.tracks[0]!.gain_db = -6; d.master.mute = true; });
    expect(diffDocuments(base, next)).toEqual({
      structural: false,
      changes: [
        { kind: 'track', track: 't1', field: 'gain_db', value: -6 },
        { kind: 'track', track: 'master', field: 'mute', value: 1 },
      ],
    });
  });

  it('adding, moving or bypassing a plugin, tempo and sources are structural', () => {
    expect(diffDocuments(base, edit((d) => { d.tracks[0]!.chain.reverse(); })).structural).toBe(true);
    expect(diffDocuments(base, edit((d) => { d.tracks[0]!.chain[1]!.bypass = true; })).structural).toBe(true);
    expect(diffDocuments(base, edit((d) => { d.tempo_bpm = 90; })).structural).toBe(true);
    expect(diffDocuments(base, edit((d) => { d.tracks[0]!.source = { kind: 'input' }; })).structural).toBe(true);
    expect(diffDocuments(undefined, base).structural).toBe(true);
  });

  it('renames and sync metadata change nothing in the engine', () => {
    expect(diffDocuments(base, edit((d) => { d.name = 'Other'; d.tracks[0]!.name = 'Bass'; }))).toEqual({ structural: false, changes: [] });
  });
});
