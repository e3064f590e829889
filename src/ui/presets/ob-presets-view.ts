import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { FACTORY_PRESETS, getPlugin } from '../../plugins/index.ts';
import type { Preset } from '../../protocol/plugin.ts';
import type { SessionDocument } from '../../protocol/session.ts';
import type { PresetLibrary } from '../../app/preset-library.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { focusField } from '../focus.ts';
import { base } from '../styles.ts';
import { Watch, WatchDoc } from '../watch.ts';
import { BLANK_PRESET_NAME } from './preset-name.ts';

/**
 * `<ob-presets-view>`: the user's presets (this device's library and the
 * open session's), to rename and delete, beside the factory presets.
 * Presets are saved and loaded from a plugin's header in the rack.
 */
export class ObPresetsView extends LitElement {
  static override properties = { doc: { attribute: false }, ctl: { attribute: false }, presets: { attribute: false }, _renaming: { state: true }, _renameError: { state: true } };
  doc: SessionDocument | null = null;
  /** The open session's presets follow it from here (optional: without it, `doc` is what was handed in). */
  ctl: SessionController | null = null;
  presets!: PresetLibrary;
  // Re-renders when the session's presets change, not for any other change in the session.
  readonly #library = new Watch(this, { on: (type, listener) => this.presets.on(type, listener) });
  readonly #sessionPresets = new WatchDoc(this, () => this.ctl, (doc) => doc?.presets, () => (this.doc = this.ctl?.doc ?? null));
  _renaming: string | null = null;
  /** Why the typed name was refused (the form stays open to correct it). */
  _renameError = '';

  #user(): (Preset & { where: string })[] {
    const session = new Map((this.doc?.presets ?? []).map((p) => [p.id, p]));
    const out = new Map<string, Preset & { where: string }>();
    for (const p of this.presets.items) out.set(p.id, { ...p, where: session.has(p.id) ? 'device + session' : 'device' });
    for (const p of session.values()) if (!out.has(p.id)) out.set(p.id, { ...p, where: 'session' });
    return [...out.values()].sort((a, b) => a.plugin_type.localeCompare(b.plugin_type) || a.name.localeCompare(b.name));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_renaming') && this._renaming !== null) focusField(this.renderRoot, 'form.rename input');
  }

  async #rename(e: Event, p: Preset): Promise<void> {
    e.preventDefault();
    const name = (e.target as HTMLFormElement).querySelector('input')?.value.trim();
    if (!name) {
      this._renameError = BLANK_PRESET_NAME;
      return;
    }
    // Two presets of one plugin under one name could not be told apart in its menu.
    if (this.presets.forType(p.plugin_type).some((o) => o.id !== p.id && o.name === name)) {
      this._renameError = `Another ${getPlugin(p.plugin_type)?.name ?? p.plugin_type} preset is called "${name}": choose another name.`;
      return;
    }
    this.#closeRename();
    await this.presets.rename(p, name);
    this.requestUpdate();
  }

  #closeRename(): void {
    this._renaming = null;
    this._renameError = '';
  }

  override render() {
    const user = this.#user();
    return html`
      <section aria-labelledby="presets-title">
        <h2 id="presets-title">Your presets</h2>
        <p class="muted">Save a preset from a plugin's header in the rack; load it there from the Presets menu.</p>
        ${user.length === 0 ? html`<div class="empty">No presets of your own yet.</div>` : nothing}
        <ul class="list">
          ${user.map((p) => html`<li class="panel">
            <span class="type">${getPlugin(p.plugin_type)?.name ?? p.plugin_type}</span>
            ${this._renaming === p.id
              ? html`<form class="rename row grow" @submit=${(e: Event) => this.#rename(e, p)}>
                  <input aria-label="Preset name" .value=${p.name} maxlength="120" aria-invalid=${this._renameError ? 'true' : 'false'}
                    aria-describedby=${this._renameError ? 'rename-error' : nothing} />
                  <button class="primary" type="submit">Rename</button>
                  <button class="ghost" type="button" @click=${() => this.#closeRename()}>Cancel</button>
                  ${this._renameError ? html`<span id="rename-error" class="error" role="alert">${this._renameError}</span>` : nothing}</form>`
              : html`<strong class="grow">${p.name}</strong><span class="muted where">${p.where}</span>
                  <button class="ghost" aria-label=${`Rename preset ${p.name}`} @click=${() => { this._renaming = p.id; this._renameError = ''; }}>Rename</button>
                  <button class="ghost danger" aria-label=${`Delete preset ${p.name}`} ?disabled=${p.where === 'session'}
                    @click=${async () => { await this.presets.remove(p.id); this.requestUpdate(); }}>Delete</button>`}
          </li>`)}
        </ul>
        <h2 class="factory-title">Factory presets</h2>
        <div class="factory">
          ${[...new Set(FACTORY_PRESETS.map((p) => p.plugin_type))].map((type) => html`<div class="panel group">
            <h3>${getPlugin(type)?.name ?? type}</h3>
            <ul>${FACTORY_PRESETS.filter((p) => p.plugin_type === type).map((p) => html`<li>${p.name}</li>`)}</ul>
          </div>`)}
        </div>
      </section>`;
  }

  static override styles = [base, css`
    :host { display: block; max-width: 960px; margin: 0 auto; }
    .list { list-style: none; padding: 0; margin: 0 0 24px; display: grid; gap: 6px; }
    .list li { display: flex; align-items: center; gap: 10px; padding: 6px 10px; flex-wrap: wrap; }
    .type { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--ob-accent-2); min-width: 84px; }
    .grow { flex: 1; }
    .grow input { flex: 1; min-width: 140px; }
    .where { font-size: 11px; }
    .error { color: var(--ob-danger); font-size: 12px; flex-basis: 100%; }
    .factory-title { margin-top: 8px; }
    .factory { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
    .group { padding: 10px 12px; }
    .group ul { margin: 6px 0 0; padding-left: 18px; color: var(--ob-dim); }
  `];
}

customElements.define('ob-presets-view', ObPresetsView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-presets-view': ObPresetsView;
  }
}
