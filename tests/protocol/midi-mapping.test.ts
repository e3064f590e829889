import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MIDI_MAPPING_FORMAT, midiTargetKey, parseMidiMappingFile, sourceLabel, type MidiMappingFile,
} from '../../src/protocol/midi-mapping.ts';
import { paramControlKey, trackControlKey } from '../../src/protocol/controls.ts';

const good: MidiMappingFile = {
  format: MIDI_MAPPING_FORMAT,
  controllers: [{
    name: 'Arturia BeatStep',
    mappings: [
      { id: 'm_cut', source: { kind: 'cc', channel: 0, cc: 74, mode: 'absolute' }, target: { kind: 'param', track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' }, takeover: 'pickup' },
      { id: 'm_vol', source: { kind: 'cc', channel: 0, cc: 7, mode: 'absolute14' }, target: { kind: 'track', track_id: 't1', field: 'gain_db' }, takeover: 'scale' },
      { id: 'm_enc', source: { kind: 'cc', channel: 1, cc: 20, mode: 'relative-twos' }, target: { kind: 'track', track_id: 't1', field: 'pan' }, takeover: 'jump' },
      { id: 'm_mute', source: { kind: 'note', channel: 9, note: 36 }, target: { kind: 'track', track_id: 't1', field: 'mute' }, takeover: 'pickup' },
      { id: 'm_byp', source: { kind: 'cc', channel: 0, cc: 64, mode: 'absolute' }, target: { kind: 'bypass', track_id: 't1', plugin_id: 'p1' }, takeover: 'pickup' },
      { id: 'm_play', source: { kind: 'note', channel: 0, note: 94 }, target: { kind: 'transport' }, takeover: 'pickup' },
    ],
  }],
};

describe('the MIDI mapping file', () => {
  it('reads back what was exported', () => {
    const parsed = parseMidiMappingFile(JSON.parse(JSON.stringify(good)));
    expect(parsed).toEqual({ ok: true, value: good });
  });

  it('gives an older hand-written mapping the defaults: absolute CC, pick-up', () => {
    const parsed = parseMidiMappingFile({
      format: MIDI_MAPPING_FORMAT,
      controllers: [{ name: 'nanoKONTROL', mappings: [{ id: 'a', source: { kind: 'cc', channel: 0, cc: 0 }, target: { kind: 'transport' } }] }],
    });
    expect(parsed.ok && parsed.value.controllers[0]!.mappings[0]).toMatchObject({ source: { mode: 'absolute' }, takeover: 'pickup' });
  });

  it('rejects a bad file with a message naming what was wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /Not a MIDI mapping file/],
      [{ format: 'outboard.session/1', controllers: [] }, /format: must be "outboard.midi-mappings\/1"/],
      [{ ...good, controllers: [{ name: 'X', mappings: [{ ...good.controllers[0]!.mappings[0]!, source: { kind: 'cc', channel: 16, cc: 1 } }] }] }, /controllers\.0\.mappings\.0\.source\.channel/],
      [{ ...good, controllers: [{ name: 'X', mappings: [{ ...good.controllers[0]!.mappings[0]!, source: { kind: 'cc', channel: 0, cc: 40, mode: 'absolute14' } }] }] }, /MSB on CC 0-31/],
      [{ ...good, controllers: [{ name: 'X', mappings: [{ ...good.controllers[0]!.mappings[0]!, takeover: 'snap' }] }] }, /takeover/],
      [{ ...good, controllers: [{ name: 'X', mappings: [{ ...good.controllers[0]!.mappings[0]!, target: { kind: 'param', track_id: 't 1', plugin_id: 'p', parameter_id: 'q' } }] }] }, /target\.track_id/],
      [{ ...good, controllers: [{ name: 'X', mappings: [good.controllers[0]!.mappings[0]!, { ...good.controllers[0]!.mappings[1]!, source: { kind: 'cc', channel: 0, cc: 74 } }] }] }, /CC 74 is mapped twice/],
      [{ ...good, controllers: [good.controllers[0], good.controllers[0]] }, /appears twice/],
      [{ ...good, extra: 1 }, /unknown field "extra"/],
    ];
    for (const [input, message] of cases) {
      const parsed = parseMidiMappingFile(input);
      expect(parsed.ok, JSON.stringify(input)).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toMatch(message);
    }
  });

  it('never throws on any input', () => {
    fc.assert(fc.property(fc.anything(), (v) => {
      const parsed = parseMidiMappingFile(v);
      return parsed.ok === false && parsed.error.message.startsWith('Not a MIDI mapping file');
    }));
  });

  it('keys a mapped param or track field by its control key, so the slider finds its badge', () => {
    expect(midiTargetKey({ kind: 'param', track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' })).toBe(paramControlKey('t1', 'p1', 'cutoff'));
    expect(midiTargetKey({ kind: 'track', track_id: 't1', field: 'mute' })).toBe(trackControlKey('t1', 'mute'));
    expect(midiTargetKey({ kind: 'bypass', track_id: 't1', plugin_id: 'p1' })).toBe('t1/p1/:bypass');
  });

  it('labels sources the way a controller manual does', () => {
    expect(sourceLabel({ kind: 'cc', channel: 0, cc: 7, mode: 'absolute' })).toBe('CC 7');
    expect(sourceLabel({ kind: 'cc', channel: 2, cc: 1, mode: 'absolute14' })).toBe('CC 1/33 ch 3');
    expect(sourceLabel({ kind: 'note', channel: 9, note: 36 })).toBe('Note 36 ch 10');
  });
});
