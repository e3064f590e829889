/**
 * MIDI controller mappings: which hardware message moves which control, and
 * how. The same shape is kept per controller in the device's settings and
 * written to (and read from) an exported JSON file, whose `format` carries
 * the schema version so older files can be migrated.
 *
 * A mapping addresses its control by track / plugin / param id, never by a
 * position on screen, so it follows the session as tracks move.
 */
import { z } from 'zod';
import { paramControlKey, TRACK_CONTROL_FIELDS, trackControlKey } from './controls.ts';
import type { OutboardError, Result } from './errors.ts';
import { IdSchema } from './ids.ts';
import { zodToError } from './parse.ts';
import { PARAM_ID_PATTERN } from './plugin.ts';

/** The exported file's format and schema version. */
export const MIDI_MAPPING_FORMAT = 'outboard.midi-mappings/1';

/**
 * How a CC's value is read.
 * - `absolute`: 0..127 is the control's travel (a knob or fader with end stops).
 * - `absolute14`: a 14-bit pair, MSB on CC 0-31 and LSB on CC+32 (0..16383).
 * - `relative-twos`: an endless encoder, two's complement: 1..63 up, 127..65 down (-1..-63).
 * - `relative-offset`: binary offset around 64: 65 is +1, 63 is -1.
 * - `relative-sign`: sign bit: 1..63 up, 65..127 down by (value - 64).
 */
export const CC_MODES = ['absolute', 'absolute14', 'relative-twos', 'relative-offset', 'relative-sign'] as const;
export type CcMode = (typeof CC_MODES)[number];

/**
 * Soft takeover, when an absolute control and the value disagree.
 * - `pickup` (the default): the hardware does nothing until it crosses the value.
 * - `jump`: the value jumps to the hardware at once.
 * - `scale`: the value moves toward where the hardware is headed, so the two meet at the end of its travel.
 */
export const TAKEOVER_MODES = ['pickup', 'jump', 'scale'] as const;
export type TakeoverMode = (typeof TAKEOVER_MODES)[number];

const Channel = z.number().int().min(0).max(15);
const Data7 = z.number().int().min(0).max(127);

/** A control change, or a note (notes drive toggles: a note-on flips it). */
export const MidiSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cc'), channel: Channel, cc: Data7, mode: z.enum(CC_MODES).default('absolute') })
    .refine((s) => s.mode !== 'absolute14' || s.cc < 32, { message: 'a 14-bit pair has its MSB on CC 0-31', path: ['cc'] }),
  z.strictObject({ kind: z.literal('note'), channel: Channel, note: Data7 }),
]);
export type MidiSource = z.infer<typeof MidiSourceSchema>;

/**
 * What a mapping moves: a plugin param, a track's gain/pan/mute/solo, a
 * plugin's bypass, or the transport (Play/Stop).
 */
export const MidiTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('param'), track_id: IdSchema, plugin_id: IdSchema, parameter_id: z.string().regex(PARAM_ID_PATTERN) }),
  z.strictObject({ kind: z.literal('track'), track_id: IdSchema, field: z.enum(TRACK_CONTROL_FIELDS) }),
  z.strictObject({ kind: z.literal('bypass'), track_id: IdSchema, plugin_id: IdSchema }),
  z.strictObject({ kind: z.literal('transport') }),
]);
export type MidiTarget = z.infer<typeof MidiTargetSchema>;

/** One mapping of one hardware control. */
export const MidiMappingSchema = z.strictObject({
  id: IdSchema,
  source: MidiSourceSchema,
  target: MidiTargetSchema,
  takeover: z.enum(TAKEOVER_MODES).default('pickup'),
});
export type MidiMapping = z.infer<typeof MidiMappingSchema>;

/** The mappings of one controller, by its Web MIDI input name. */
export const ControllerMappingsSchema = z.strictObject({
  name: z.string().min(1).max(200),
  mappings: z.array(MidiMappingSchema).max(1024),
}).superRefine((c, ctx) => {
  const seen = new Map<string, number>();
  c.mappings.forEach((m, i) => {
    const key = sourceKey(m.source);
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['mappings', i, 'source'], message: `${sourceLabel(m.source)} is mapped twice (also mappings.${first})` });
    else seen.set(key, i);
  });
});
export type ControllerMappings = z.infer<typeof ControllerMappingsSchema>;

/** The exported file: every controller's mappings. */
export const MidiMappingFileSchema = z.strictObject({
  format: z.literal(MIDI_MAPPING_FORMAT, { error: `must be "${MIDI_MAPPING_FORMAT}"` }),
  controllers: z.array(ControllerMappingsSchema).max(64),
}).superRefine((f, ctx) => {
  const names = new Set<string>();
  f.controllers.forEach((c, i) => {
    if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['controllers', i, 'name'], message: `controller "${c.name}" appears twice` });
    names.add(c.name);
  });
});
export type MidiMappingFile = z.infer<typeof MidiMappingFileSchema>;

/** Validates a parsed mapping file; the error names the field that was wrong. */
export function parseMidiMappingFile(json: unknown): Result<MidiMappingFile> {
  const parsed = MidiMappingFileSchema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: fileError(parsed.error) };
}

/** Validates one controller's stored mappings. */
export function parseControllerMappings(json: unknown): Result<ControllerMappings> {
  const parsed = ControllerMappingsSchema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: zodToError(parsed.error) };
}

function fileError(error: z.ZodError): OutboardError {
  const e = zodToError(error);
  return { ...e, message: `Not a MIDI mapping file: ${e.message}` };
}

/** The message a source listens to, as a key (a 14-bit pair is keyed by its MSB). */
export function sourceKey(s: MidiSource): string {
  return s.kind === 'cc' ? `cc:${s.channel}:${s.cc}` : `note:${s.channel}:${s.note}`;
}

/** How a musician reads a source: "CC 7", "CC 1/33 (14-bit)", "Note 36", with the channel when not 1. */
export function sourceLabel(s: MidiSource): string {
  const ch = s.channel === 0 ? '' : ` ch ${s.channel + 1}`;
  if (s.kind === 'note') return `Note ${s.note}${ch}`;
  if (s.mode === 'absolute14') return `CC ${s.cc}/${s.cc + 32}${ch}`;
  return `CC ${s.cc}${ch}`;
}

/**
 * The key the UI finds a target's mapping by: a control's `controlKey` for
 * params and track fields; `track/plugin/:bypass` and `:transport` otherwise
 * (`:` never appears in an id, so these never collide with a control key).
 */
export function midiTargetKey(t: MidiTarget): string {
  switch (t.kind) {
    case 'param': return paramControlKey(t.track_id, t.plugin_id, t.parameter_id);
    case 'track': return trackControlKey(t.track_id, t.field);
    case 'bypass': return `${t.track_id}/${t.plugin_id}/:bypass`;
    default: return ':transport';
  }
}

/** True for targets that flip (mute, solo, bypass, Play/Stop) rather than move through a range. */
export function isToggleTarget(t: MidiTarget): boolean {
  return t.kind === 'bypass' || t.kind === 'transport' || (t.kind === 'track' && (t.field === 'mute' || t.field === 'solo'));
}
