import { Emitter } from '../emitter.ts';
import type { Result } from '../../protocol/errors.ts';
import { outboardError } from '../../protocol/errors.ts';
import {
  MIDI_MAPPING_FORMAT, midiTargetKey, parseMidiMappingFile, sourceKey,
  type ControllerMappings, type MidiMapping, type MidiMappingFile,
} from '../../protocol/midi-mapping.ts';
import type { LocalStore } from '../../store/index.ts';

/** Settings key prefix: one record per controller, `midi_mappings/<input name>`. */
export const MAPPINGS_SETTING_PREFIX = 'midi_mappings/';

/** The part of the local store the book uses (the settings store). */
export type SettingsPort = Pick<LocalStore, 'setSetting' | 'deleteSetting' | 'listSettings'>;

/** A stored record that could not be read (shown to the user, never a blank panel). */
export interface SkippedMappings {
  readonly key: string;
  readonly reason: string;
}

/**
 * Every controller's mappings, kept in the settings store per controller
 * name. Each record has the same shape as an exported file holding that one
 * controller (so it carries the schema version and is validated by the same
 * schema when read). Dispatches `change` after every edit and `saved` once
 * an edit is written.
 */
export class MappingBook extends Emitter<{ change: void; saved: void }> {
  #controllers = new Map<string, MidiMapping[]>();
  /** Target key -> its mapping, for the badge every control draws (first controller by name wins). */
  #byTarget = new Map<string, { controller: string; mapping: MidiMapping }>();
  skipped: SkippedMappings[] = [];

  constructor(private readonly store: SettingsPort) {
    super();
  }

  /** Reads every stored controller; unreadable records are skipped and listed in `skipped`. */
  async load(): Promise<void> {
    const next = new Map<string, MidiMapping[]>();
    const skipped: SkippedMappings[] = [];
    for (const { key, value } of await this.store.listSettings(MAPPINGS_SETTING_PREFIX)) {
      const parsed = parseMidiMappingFile(value);
      const one = parsed.ok && parsed.value.controllers.length === 1 ? parsed.value.controllers[0]! : null;
      if (one && key === MAPPINGS_SETTING_PREFIX + one.name) next.set(one.name, one.mappings);
      else skipped.push({ key, reason: parsed.ok ? 'not one controller under its own name' : parsed.error.message });
    }
    this.#controllers = next;
    this.skipped = skipped;
    this.#changed();
  }

  /** Controller names with mappings, sorted. */
  get controllers(): string[] {
    return [...this.#controllers.keys()].sort((a, b) => a.localeCompare(b));
  }

  /** One controller's mappings (empty when it has none). */
  mappings(controller: string): readonly MidiMapping[] {
    return this.#controllers.get(controller) ?? [];
  }

  /** Every mapping of every controller, with its controller. */
  all(): { controller: string; mapping: MidiMapping }[] {
    return this.controllers.flatMap((controller) => this.mappings(controller).map((mapping) => ({ controller, mapping })));
  }

  /** The mapping of a control (by `midiTargetKey`), and its controller; the first controller by name when several map it. */
  forTarget(key: string): { controller: string; mapping: MidiMapping } | undefined {
    return this.#byTarget.get(key);
  }

  /**
   * Adds a mapping; on that controller it replaces any mapping of the same
   * hardware control, and any other mapping of the same target (learning a
   * new knob for a control moves its mapping).
   */
  put(controller: string, mapping: MidiMapping): Promise<void> {
    const source = sourceKey(mapping.source);
    const target = midiTargetKey(mapping.target);
    const kept = this.mappings(controller).filter((m) => m.id !== mapping.id && sourceKey(m.source) !== source && midiTargetKey(m.target) !== target);
    return this.#set(controller, [...kept, mapping]);
  }

  /** Changes one mapping in place (its mode or takeover), by id. */
  update(controller: string, id: string, change: (m: MidiMapping) => MidiMapping): Promise<void> {
    return this.#set(controller, this.mappings(controller).map((m) => (m.id === id ? change(m) : m)));
  }

  /**
   * Points the mappings of controls whose track or plugin got a new id (a
   * removed track brought back by Undo) at the new ids; `ids` maps old to new.
   */
  async retarget(ids: ReadonlyMap<string, string>): Promise<void> {
    const moved = (m: MidiMapping): MidiMapping => {
      const t = m.target;
      if (t.kind === 'transport' || !ids.has(t.track_id)) return m;
      const track_id = ids.get(t.track_id)!;
      return { ...m, target: t.kind === 'track' ? { ...t, track_id } : { ...t, track_id, plugin_id: ids.get(t.plugin_id) ?? t.plugin_id } };
    };
    for (const controller of this.controllers) {
      const before = this.mappings(controller);
      const after = before.map(moved);
      if (after.some((m, i) => m !== before[i])) await this.#set(controller, after);
    }
  }

  /** Removes one mapping by id. */
  remove(controller: string, id: string): Promise<void> {
    return this.#set(controller, this.mappings(controller).filter((m) => m.id !== id));
  }

  /** Removes every mapping of every controller. */
  async clear(): Promise<void> {
    const names = [...this.#controllers.keys()];
    this.#controllers.clear();
    this.#changed();
    await Promise.all(names.map((n) => this.store.deleteSetting(MAPPINGS_SETTING_PREFIX + n)));
    this.emit('saved');
  }

  /** The export file: every controller's mappings. */
  toFile(): MidiMappingFile {
    return { format: MIDI_MAPPING_FORMAT, controllers: this.controllers.map((name) => ({ name, mappings: [...this.mappings(name)] })) };
  }

  /**
   * Imports a file's text: every controller in it gets the file's mappings
   * (others keep theirs). A file that is not JSON or not valid changes
   * nothing and answers an error saying what was wrong.
   */
  async importText(text: string): Promise<Result<ControllerMappings[]>> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { ok: false, error: outboardError('INVALID_MESSAGE', `Not a MIDI mapping file: it is not JSON (${error instanceof Error ? error.message : String(error)})`) };
    }
    const parsed = parseMidiMappingFile(json);
    if (!parsed.ok) return parsed;
    for (const c of parsed.value.controllers) await this.#set(c.name, c.mappings);
    return { ok: true, value: parsed.value.controllers };
  }

  async #set(controller: string, mappings: MidiMapping[]): Promise<void> {
    const key = MAPPINGS_SETTING_PREFIX + controller;
    if (mappings.length === 0) this.#controllers.delete(controller);
    else this.#controllers.set(controller, mappings);
    this.#changed();
    if (mappings.length === 0) await this.store.deleteSetting(key);
    else await this.store.setSetting(key, { format: MIDI_MAPPING_FORMAT, controllers: [{ name: controller, mappings }] } satisfies MidiMappingFile);
    this.emit('saved');
  }

  #changed(): void {
    this.#byTarget.clear();
    for (const e of this.all().reverse()) this.#byTarget.set(midiTargetKey(e.mapping.target), e);
    this.emit('change');
  }
}
