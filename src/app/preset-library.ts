import { Emitter } from './emitter.ts';
import { resolvePreset } from '../model/index.ts';
import { factoryPresetsFor } from '../plugins/index.ts';
import type { Preset } from '../protocol/plugin.ts';
import type { PluginInstance } from '../protocol/session.ts';
import type { LocalStore, PresetRecord, SkippedRecord } from '../store/index.ts';
import type { SessionController } from './session-controller.ts';
import { batch, op, savePresetOp } from './op-builders.ts';
import { newId } from '../protocol/ids.ts';

/**
 * The user's presets: kept in the device's library (IndexedDB, shared by
 * every session) and in the session document (SAVE_PRESET), so a session
 * carries the presets it uses to other devices and to the relay. `saved`
 * follows every write to the library.
 */
export class PresetLibrary extends Emitter<{ change: void; saved: void }> {
  items: PresetRecord[] = [];
  skipped: SkippedRecord[] = [];
  /** The preset last loaded onto each plugin on this device, so a moved param reads "(modified)". */
  readonly #loaded = new Map<string, string>();

  constructor(private readonly store: LocalStore, private readonly ctl: SessionController) {
    super();
  }

  async refresh(): Promise<void> {
    const listing = await this.store.listPresets();
    this.items = listing.items;
    this.skipped = listing.skipped;
    this.emit('change');
  }

  /** User presets for one plugin type: the library's plus the open session's, by id. */
  forType(type: string): Preset[] {
    const byId = new Map<string, Preset>();
    for (const p of this.ctl.doc?.presets ?? []) if (p.plugin_type === type) byId.set(p.id, p);
    for (const p of this.items) if (p.plugin_type === type) byId.set(p.id, { id: p.id, name: p.name, plugin_type: p.plugin_type, params: p.params });
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Saves a plugin's current values as a user preset (library + session).
   * A name one of the user's presets of this plugin type already has
   * replaces that preset (as a DAW's "Save" does), so the menu never lists
   * two presets it cannot tell apart.
   */
  async save(name: string, pluginType: string, params: Record<string, number>): Promise<Preset> {
    const named = name.slice(0, 120);
    const existing = this.forType(pluginType).find((p) => p.name === named);
    const preset: Preset = { id: existing?.id ?? newId('pre'), name: named, plugin_type: pluginType, params: { ...params } };
    this.ctl.dispatch(savePresetOp(preset));
    await this.store.putPreset(preset);
    await this.refresh();
    this.emit('saved');
    return preset;
  }

  /**
   * What a plugin's preset menu shows: the preset last loaded onto it here
   * (modified once a param moved off it), or else a preset its values match
   * (after a reload, or one loaded on another device); null for neither.
   */
  loadedOn(plugin: PluginInstance): { readonly preset: Preset; readonly modified: boolean } | null {
    const id = this.#loaded.get(plugin.id);
    const doc = this.ctl.doc;
    const last = id === undefined || !doc ? undefined : resolvePreset(doc, id);
    if (last) return { preset: last, modified: !matches(last, plugin) };
    const match = [...factoryPresetsFor(plugin.type), ...this.forType(plugin.type)].find((p) => matches(p, plugin));
    return match ? { preset: match, modified: false } : null;
  }

  /** Loads a preset onto a plugin; a library preset the session lacks is saved into it first. */
  load(trackId: string, pluginId: string, presetId: string): void {
    this.#loaded.set(pluginId, presetId);
    const load = op('LOAD_PRESET', { track_id: trackId, plugin_id: pluginId, preset_id: presetId });
    const inSession = this.ctl.doc?.presets.some((p) => p.id === presetId);
    const lib = this.items.find((p) => p.id === presetId);
    if (!inSession && lib) {
      const preset: Preset = { id: lib.id, name: lib.name, plugin_type: lib.plugin_type, params: lib.params };
      this.ctl.dispatch(batch([savePresetOp(preset), load]));
    } else {
      this.ctl.dispatch(load);
    }
  }

  /** Renames a user preset in the library and, when it has it, in the session. */
  async rename(preset: Preset, name: string): Promise<void> {
    // Only the preset's own fields: records and views carry extra ones that do not belong in a document.
    const next: Preset = { id: preset.id, name: name.slice(0, 120), plugin_type: preset.plugin_type, params: { ...preset.params } };
    if (this.ctl.doc?.presets.some((p) => p.id === preset.id)) this.ctl.dispatch(savePresetOp(next));
    await this.store.putPreset(next);
    await this.refresh();
    this.emit('saved');
  }

  /** Deletes a preset from the device's library (sessions that saved it keep their copy). */
  async remove(id: string): Promise<void> {
    await this.store.deletePreset(id);
    await this.refresh();
    this.emit('saved');
  }
}

/** Whether a plugin holds a preset's values (each value the preset sets, to float precision). */
function matches(preset: Preset, plugin: PluginInstance): boolean {
  return Object.entries(preset.params).every(([k, v]) => Math.abs((plugin.params[k] ?? NaN) - v) <= 1e-6 * Math.max(1, Math.abs(v)));
}
