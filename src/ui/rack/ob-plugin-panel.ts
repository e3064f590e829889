import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { factoryPresetsFor, getPlugin } from '../../plugins/index.ts';
import { formatValue } from '../controls/format-value.ts';
import type { ParamDescriptor } from '../../protocol/plugin.ts';
import type { PluginInstance } from '../../protocol/session.ts';
import '../controls/ob-slider.ts';
import type { ParamEvent } from '../events.ts';
import type { SessionController } from '../../app/session-controller.ts';
import type { PresetLibrary } from '../../app/preset-library.ts';
import { op } from '../../app/op-builders.ts';
import { surface } from '../../app/surface-state.ts';
import { paramControlKey } from '../../protocol/controls.ts';
import { focusField } from '../focus.ts';
import { midiTargetKey } from '../../protocol/midi-mapping.ts';
import { learnOr } from '../midi/learn-or.ts';
import '../midi/ob-midi-badge.ts';
import { base } from '../styles.ts';
import { Watch } from '../watch.ts';
import { BLANK_PRESET_NAME } from '../presets/preset-name.ts';

/**
 * `<ob-plugin-panel>`: one plugin in a rack. Its controls are drawn from the
 * catalog's descriptors only; no plugin has hand-made UI. The header holds
 * presets (factory and user), bypass, order and removal.
 */
export class ObPluginPanel extends LitElement {
  static override properties = {
    plugin: { attribute: false },
    trackId: { attribute: false },
    index: { type: Number },
    count: { type: Number },
    ctl: { attribute: false },
    presets: { attribute: false },
    _saving: { state: true },
    _saveError: { state: true },
  };
  plugin!: PluginInstance;
  trackId = '';
  index = 0;
  count = 1;
  ctl!: SessionController;
  presets!: PresetLibrary;
  _saving = false;
  /** Why the typed preset name was refused (the form stays open to correct it). */
  _saveError = '';
  readonly #watch = new Watch(this, surface);

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_saving') && this._saving) focusField(this.renderRoot, 'form.save input');
    // The name form closed (saved or cancelled): focus goes back to the Save button, not to the page's start.
    else if (changed.get('_saving') === true) {
      this.renderRoot.querySelector<HTMLElement>('button.save-toggle')?.focus();
    }
  }

  /** Focuses this plugin's first control; false when it has none drawn yet. */
  async focusFirstControl(): Promise<boolean> {
    await this.updateComplete;
    const slider = this.renderRoot.querySelector('ob-slider');
    await slider?.updateComplete;
    const target = slider?.renderRoot.querySelector<HTMLElement>('[role=slider]');
    target?.focus();
    return !!target;
  }

  /**
   * Removes this plugin. Focus, which was on the vanishing Remove button,
   * goes to the plugin that takes its place (else the one before it, else
   * Add plugin), so a keyboard user stays in the chain.
   */
  #remove(): void {
    const next = [this.nextElementSibling, this.previousElementSibling].find((el): el is ObPluginPanel => el instanceof ObPluginPanel);
    if (this.ctl.dispatch(op('REMOVE_PLUGIN', this.#ref())).status !== 'applied') return;
    if (next) void next.focusFirstControl();
    else (this.getRootNode() as ParentNode).querySelector<HTMLElement>('select[aria-label="Add plugin"]')?.focus();
  }

  #param(d: ParamDescriptor, value: number, final: boolean): void {
    this.ctl.dispatch(op('PLUGIN_PARAMETER', {
      track_id: this.trackId, plugin_id: this.plugin.id, parameter_id: d.id, parameter_value: value,
    }), { ephemeral: !final });
  }

  #ref() {
    return { track_id: this.trackId, plugin_id: this.plugin.id };
  }

  #onPreset(e: Event): void {
    const select = e.target as HTMLSelectElement;
    if (select.value) this.presets.load(this.trackId, this.plugin.id, select.value);
    select.value = '';
  }

  async #savePreset(e: Event): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input');
    const name = input?.value.trim();
    if (!name) {
      this._saveError = BLANK_PRESET_NAME;
      input?.select();
      return;
    }
    await this.presets.save(name, this.plugin.type, this.plugin.params);
    this.#closeSave();
  }

  #closeSave(): void {
    this._saving = false;
    this._saveError = '';
  }

  override render() {
    const p = this.plugin;
    const desc = getPlugin(p.type);
    if (!desc) return html`<div class="panel unknown">Unknown plugin "${p.type}" (kept as is).</div>`;
    const user = this.presets.forType(p.type);
    const headingId = `h-${p.id}`;
    const ro = surface.readOnly;
    const loaded = this.presets.loadedOn(p);
    return html`
      <section class="panel ${p.bypass ? 'bypassed' : ''}" aria-labelledby=${headingId}>
        <header>
          <span class="kind ${desc.kind}" aria-hidden="true"></span>
          <h3 id=${headingId}>${desc.name}</h3>
          <span class="spacer"></span>
          <select aria-label=${`${desc.name} preset`} ?disabled=${ro} @change=${this.#onPreset}>
            <option value="">${loaded ? `Preset: ${loaded.preset.name}${loaded.modified ? ' (modified)' : ''}` : 'Presets…'}</option>
            <optgroup label="Factory">${factoryPresetsFor(p.type).map((x) => html`<option value=${x.id}>${x.name}</option>`)}</optgroup>
            ${user.length ? html`<optgroup label="Yours">${user.map((x) => html`<option value=${x.id}>${x.name}</option>`)}</optgroup>` : nothing}
          </select>
          <button class="icon save-toggle" aria-label=${`Save ${desc.name} preset`} title="Save preset" ?disabled=${ro} @click=${() => (this._saving ? this.#closeSave() : (this._saving = true))}>Save</button>
          <button class="toggle" aria-pressed=${p.bypass ? 'true' : 'false'} aria-label=${`Bypass ${desc.name}`} title="Bypass" ?disabled=${ro}
            @click=${() => learnOr({ kind: 'bypass', ...this.#ref() }, () => this.ctl.dispatch(op('BYPASS_PLUGIN', { ...this.#ref(), bypass: !p.bypass })))}>Bypass</button>
          <ob-midi-badge target-key=${midiTargetKey({ kind: 'bypass', ...this.#ref() })}></ob-midi-badge>
          <button class="icon ghost" aria-label=${`Move ${desc.name} up`} ?disabled=${ro || this.index === 0}
            @click=${() => this.ctl.dispatch(op('MOVE_PLUGIN', { ...this.#ref(), index: this.index - 1 }))}>↑</button>
          <button class="icon ghost" aria-label=${`Move ${desc.name} down`} ?disabled=${ro || this.index >= this.count - 1}
            @click=${() => this.ctl.dispatch(op('MOVE_PLUGIN', { ...this.#ref(), index: this.index + 1 }))}>↓</button>
          <button class="icon ghost danger" aria-label=${`Remove ${desc.name}`} ?disabled=${ro} @click=${() => this.#remove()}>✕</button>
        </header>
        ${this._saving ? html`<form class="save row" @submit=${this.#savePreset}>
          <input aria-label="Preset name" placeholder="Preset name" maxlength="120" required aria-invalid=${this._saveError ? 'true' : 'false'}
            aria-describedby=${this._saveError ? `save-error-${p.id}` : nothing} />
          <button class="primary" type="submit">Save preset</button>
          <button type="button" class="ghost" @click=${() => this.#closeSave()}>Cancel</button>
          ${this._saveError ? html`<span id=${`save-error-${p.id}`} class="error" role="alert">${this._saveError}</span>` : nothing}
        </form>` : nothing}
        <div class="params">
          ${desc.params.map((d) => html`<ob-slider label=${d.name} context=${desc.name} unit=${d.unit} scale=${d.scale}
            .min=${d.min} .max=${d.max} .defaultValue=${d.default} .step=${d.step} .choices=${d.choices}
            .value=${p.params[d.id] ?? d.default} .format=${(v: number) => formatValue(d, v)} control=${paramControlKey(this.trackId, p.id, d.id)}
            @ob-param=${(e: ParamEvent) => this.#param(d, e.value, e.final)}></ob-slider>`)}
        </div>
      </section>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .panel { padding: 10px 12px 14px; }
    header { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin-bottom: 10px; }
    .kind { width: 8px; height: 8px; border-radius: 50%; background: var(--ob-accent-2); }
    .kind.instrument { background: var(--ob-accent); }
    select { max-width: 150px; }
    .toggle[aria-pressed=true] { background: #4a2e10; border-color: var(--ob-accent); color: var(--ob-accent); }
    .bypassed .params { opacity: .4; }
    .save { margin: 0 0 10px; flex-wrap: wrap; }
    .error { color: var(--ob-danger); font-size: 12px; flex-basis: 100%; }
    .params { display: grid; grid-template-columns: repeat(auto-fill, minmax(80px, 1fr)); gap: 12px 6px; justify-items: center; }
    .unknown { padding: 12px; color: var(--ob-dim); }
  `];
}

customElements.define('ob-plugin-panel', ObPluginPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ob-plugin-panel': ObPluginPanel;
  }
}
