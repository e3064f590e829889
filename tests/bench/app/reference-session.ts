import { SessionDocumentSchema, type SessionDocument } from '../../../src/protocol/session.ts';

/** Tracks in the SPEC §9 reference session. */
export const REFERENCE_TRACKS = 16;

/**
 * The SPEC §9 reference session: 16 instrument tracks, each a synth playing
 * its pattern into eq + compressor + delay, each sending to two reverb buses,
 * into the master bus. Values are mid-range and audible (the EQ bands boost
 * and cut, the compressor works), so nothing is skipped as silence.
 */
export function referenceSession(): SessionDocument {
  const tracks = Array.from({ length: REFERENCE_TRACKS }, (_, i) => ({
    id: `t${i}`, name: `Track ${i + 1}`, gain_db: -12, pan: ((i % 5) - 2) / 3,
    pattern: { steps: Array.from({ length: 16 }, (_, s) => (s % 2 === 0 ? 36 + ((i * 7 + s * 5) % 36) : null)) },
    chain: [
      { id: `t${i}-syn`, type: 'synth', params: { waveform: i % 4, cutoff: 1500 + 300 * i } },
      { id: `t${i}-eq`, type: 'eq', params: { low_gain: 3, mid1_gain: -4, mid2_gain: 2, high_gain: -2 } },
      { id: `t${i}-cmp`, type: 'compressor', params: { threshold_db: -24, ratio: 4 } },
      { id: `t${i}-dly`, type: 'delay', params: { time_ms: 250 + 20 * i, feedback: 0.4, mix: 0.25 } },
    ],
    sends: [{ target: 'bus-a', gain_db: -12 }, { target: 'bus-b', gain_db: -18 }],
  }));
  const bus = (id: string, room: number) => ({
    id, name: id, source: { kind: 'bus' as const }, gain_db: 0,
    chain: [{ id: `${id}-rev`, type: 'reverb', params: { room_size: room, mix: 1 } }],
  });
  return SessionDocumentSchema.parse({
    format: 'outboard.session/1', id: 'reference', name: 'Reference session (SPEC §9)', tempo_bpm: 120,
    tracks: [...tracks, bus('bus-a', 0.6), bus('bus-b', 0.85)],
    master: { id: 'master', name: 'Master', gain_db: -6 },
  });
}
