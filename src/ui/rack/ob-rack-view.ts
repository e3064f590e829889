import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { PLUGINS } from '../../plugins/index.ts';
import type { SessionDocument, Track } from '../../protocol/session.ts';
import { NavigateEvent } from '../events.ts';
import type { AudioSession } from '../../app/audio-session.ts';
import type { PresetLibrary } from '../../app/preset-library.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { addPluginOp } from '../../app/op-builders.ts';
import { base } from '../styles.ts';
import './ob-plugin-panel.ts';
import './ob-source-editor.ts';
import { surface } from '../../app/surface-state.ts';
import { followDocument, Watch } from '../watch.ts';

/** "1 plugin", "3 plugins": what a track's bare count in the list means, said to a screen reader. */
const pluginCount = (n: number): string => `${n} plugin${n === 1 ? '' : 's'}`;

/**
 * `<ob-rack-view>`: one track's rack: its source (or step grid) and its
 * plugin chain, top to bottom in signal order. Plugins are added from the
 * catalog, removed, reordered and bypassed.
 */
export class ObRackView extends LitElement {
  static override properties = {
    doc: { attribute: false }, ctl: { attribute: false }, presets: { attribute: false }, audio: { attribute: false }, trackId: { attribute: false },
  };
  doc!: SessionDocument;
  ctl!: SessionController;
  presets!: PresetLibrary;
  audio!: AudioSession;
  trackId: string | null = null;
  readonly #watch = new Watch(this, surface);
  readonly #doc = followDocument(this);

  get #track(): Track | undefined {
    const all = [...this.doc.tracks, this.doc.master];
    return all.find((t) => t.id === this.trackId) ?? this.doc.tracks[0] ?? this.doc.master;
  }

  /**
   * Focuses the first control of the chain (or, for an empty chain, Add
   * plugin), so a keyboard user who opened the rack starts where the sound is shaped.
   */
  async focusFirst(): Promise<void> {
    await this.updateComplete;
    const panel = this.renderRoot.querySelector('ob-plugin-panel');
    if (!(await panel?.focusFirstControl())) this.renderRoot.querySelector<HTMLElement>('select[aria-label="Add plugin"]')?.focus();
  }

  #pick(id: string): void {
    this.dispatchEvent(new NavigateEvent('rack', id));
  }

  #add(e: Event, track: Track): void {
    const select = e.target as HTMLSelectElement;
    const type = select.value;
    select.value = '';
    if (!type) return;
    const instrument = PLUGINS.find((p) => p.id === type)?.kind === 'instrument';
    this.ctl.dispatch(addPluginOp(track.id, type, instrument ? 0 : undefined));
  }

  override render() {
    const track = this.#track;
    if (!track) return nothing;
    const all = [...this.doc.tracks, this.doc.master];
    const hasInstrument = track.chain.some((p) => PLUGINS.find((d) => d.id === p.type)?.kind === 'instrument');
    const choices = PLUGINS.filter((p) => p.kind === 'effect' || (!hasInstrument && track.id !== 'master'));
    return html`
      <div class="layout">
        <nav class="tracks panel" aria-label="Tracks">
          <h2>Tracks</h2>
          <select class="picker" aria-label="Track" .value=${track.id} @change=${(e: Event) => this.#pick((e.target as HTMLSelectElement).value)}>
            ${all.map((t) => html`<option value=${t.id} ?selected=${t.id === track.id}>${t.name}</option>`)}
          </select>
          <ul>
            ${all.map((t) => html`<li><button class="ghost ${t.id === track.id ? 'current' : ''}" aria-current=${t.id === track.id ? 'true' : 'false'}
              aria-label=${`${t.name}, ${pluginCount(t.chain.length)}`} @click=${() => this.#pick(t.id)}><span>${t.name}</span><span class="n">${t.chain.length}</span></button></li>`)}
          </ul>
        </nav>
        <section class="rack" aria-labelledby="rack-title">
          <div class="row title">
            <h2 id="rack-title">Rack · ${track.name}</h2>
            <span class="spacer"></span>
            <select aria-label="Add plugin" ?disabled=${surface.readOnly} @change=${(e: Event) => this.#add(e, track)}>
              <option value="">+ Add plugin…</option>
              ${choices.map((p) => html`<option value=${p.id}>${p.name}${p.kind === 'instrument' ? ' (instrument)' : ''}</option>`)}
            </select>
          </div>
          ${track.id === 'master' ? nothing : html`<div class="panel source"><ob-source-editor .track=${track} .ctl=${this.ctl} .audio=${this.audio}></ob-source-editor></div>`}
          <div class="chain">
            ${track.chain.length === 0 ? html`<div class="empty">The chain is empty. Add a plugin: EQ, compressor, delay, reverb…</div>` : nothing}
            ${repeat(track.chain, (p) => p.id, (p, i) => html`<ob-plugin-panel .plugin=${p} .trackId=${track.id} .index=${i}
              .count=${track.chain.length} .ctl=${this.ctl} .presets=${this.presets}></ob-plugin-panel>`)}
          </div>
        </section>
      </div>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .layout { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 14px; align-items: start; }
    .tracks { padding: 12px; position: sticky; top: 8px; }
    .tracks ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 2px; }
    .tracks li button { width: 100%; display: flex; justify-content: space-between; text-align: left; gap: 8px; }
    .tracks li button span:first-child { overflow: hidden; text-overflow: ellipsis; }
    .tracks button.current { background: var(--ob-raised); color: var(--ob-text); border-color: var(--ob-line); }
    .tracks .n { color: var(--ob-dim); font-size: 11px; }
    .picker { display: none; width: 100%; }
    .title { margin-bottom: 10px; }
    .title h2 { margin: 0; }
    .source { padding: 12px; margin-bottom: 12px; }
    .chain { display: grid; gap: 12px; }
    @media (max-width: 760px) {
      .layout { grid-template-columns: minmax(0, 1fr); }
      .tracks { position: static; }
      .tracks ul, .tracks h2 { display: none; }
      .picker { display: block; }
    }
  `];
}

customElements.define('ob-rack-view', ObRackView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-rack-view': ObRackView;
  }
}
