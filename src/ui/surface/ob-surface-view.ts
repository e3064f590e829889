import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { SessionDocument, Track } from '../../protocol/session.ts';
import { getPlugin } from '../../plugins/index.ts';
import { paramControlKey, trackControlKey } from '../../protocol/controls.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { op } from '../../app/op-builders.ts';
import { surface } from '../../app/surface-state.ts';
import { followDocument, Watch } from '../watch.ts';
import { TRACK_FADER_RANGES } from '../../app/midi/targets.ts';
import { currentLevels } from '../../app/meters.ts';
import { SILENCE_DB } from '../../engine/levels.ts';
import { MeterFrames } from './meter-frames.ts';
import type { ParamEvent } from '../events.ts';
import type { ObMeter } from '../controls/ob-meter.ts';
import { formatValue } from '../controls/format-value.ts';
import { formatDb, formatPan } from '../mixer/format.ts';
import '../controls/ob-slider.ts';
import '../controls/ob-meter.ts';
import { base } from '../styles.ts';

/** The page of all faders; the others are track ids. */
const ALL = 'all';
/** A horizontal swipe longer than this (px), and mostly sideways, turns the page. */
const SWIPE_PX = 60;

/**
 * `<ob-surface-view>`: the session as a control surface for fingers on a
 * phone or tablet. A page of all faders, then one page per track (fader,
 * pan, mute/solo and every plugin param), chosen with tabs or a sideways
 * swipe outside the controls. Every target is at least 44 px; meters show
 * this device's engine or, with audio off, the audio host's levels.
 */
export class ObSurfaceView extends LitElement {
  static override properties = { doc: { attribute: false }, ctl: { attribute: false }, _page: { state: true } };
  doc!: SessionDocument;
  ctl!: SessionController;
  _page: string = ALL;
  readonly #watch = new Watch(this, surface);
  readonly #frames = new MeterFrames(() => this.#drawMeters());
  readonly #doc = followDocument(this);
  #swipe: { x: number; y: number; id: number } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#frames.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#frames.stop();
  }

  /** A new document (Play may have been pressed): this device's engine, if any, may have started. */
  protected override updated(): void {
    if (this.ctl?.engine) this.#frames.request();
  }

  /**
   * Paints the newest levels; answers whether the next frame must paint again:
   * this device's own engine (audio on here) changes its levels every frame
   * while the session plays (or it is starting) and until its tail is silent.
   */
  #drawMeters(): boolean {
    const engine = this.ctl?.engine ?? null;
    const levels = this.ctl ? currentLevels(engine) : undefined;
    if (levels) {
      for (const m of this.renderRoot.querySelectorAll<ObMeter>('ob-meter')) {
        const level = levels.get(m.dataset.track ?? '');
        if (level) m.setLevels(level.peak, level.rms);
      }
    }
    if (!engine) return false;
    return engine.playing || this.doc?.playing === true || [...engine.levels().values()].some((l) => l.peak > SILENCE_DB);
  }

  get #pages(): string[] {
    return [ALL, ...this.doc.tracks.map((t) => t.id)];
  }

  #turn(by: number): void {
    const pages = this.#pages;
    const at = Math.max(0, pages.indexOf(this._page));
    this._page = pages[Math.min(pages.length - 1, Math.max(0, at + by))]!;
  }

  /** A swipe starts only outside the controls: each finger on a control owns that control. */
  #swipeStart(e: PointerEvent): void {
    if ((e.target as Element).closest('ob-slider, button')) return;
    this.#swipe = { x: e.clientX, y: e.clientY, id: e.pointerId };
  }

  #swipeEnd(e: PointerEvent): void {
    const s = this.#swipe;
    this.#swipe = null;
    if (!s || s.id !== e.pointerId) return;
    const dx = e.clientX - s.x;
    if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > 2 * Math.abs(e.clientY - s.y)) this.#turn(dx < 0 ? 1 : -1);
  }

  #tabKey(e: KeyboardEvent): void {
    const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!by) return;
    e.preventDefault();
    this.#turn(by);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role=tab][aria-selected=true]')?.focus());
  }

  #update(t: Track, changes: Record<string, unknown>, ephemeral = false): void {
    this.ctl.dispatch(op('UPDATE_TRACK', { track_id: t.id, changes }), { ephemeral });
  }

  #fader(t: Track) {
    const { gain_db: gain } = TRACK_FADER_RANGES;
    return html`<ob-slider touch variant="vfader" label="Gain" context=${t.name} unit="dB" scale=${gain.scale} .min=${gain.min}
      .max=${gain.max} .defaultValue=${0} .value=${t.gain_db} .format=${formatDb} .step=${gain.step} control=${trackControlKey(t.id, 'gain_db')}
      @ob-param=${(e: ParamEvent) => this.#update(t, { gain_db: e.value }, !e.final)}></ob-slider>`;
  }

  #toggles(t: Track) {
    const ro = surface.readOnly;
    return html`<div class="toggles">
      <button class="toggle" aria-pressed=${t.mute ? 'true' : 'false'} aria-label=${`Mute ${t.name}`} ?disabled=${ro}
        @click=${() => this.#update(t, { mute: !t.mute })}>M</button>
      ${t.id === this.doc.master.id ? nothing : html`<button class="toggle" aria-pressed=${t.solo ? 'true' : 'false'}
        aria-label=${`Solo ${t.name}`} ?disabled=${ro} @click=${() => this.#update(t, { solo: !t.solo })}>S</button>`}
    </div>`;
  }

  #strip(t: Track) {
    return html`<div class="strip" role="group" aria-label=${`${t.name} channel`}>
      <div class="name">${t.name}</div>
      <div class="fader">${this.#fader(t)}<ob-meter data-track=${t.id} label=${`${t.name} level`}></ob-meter></div>
      ${this.#toggles(t)}
    </div>`;
  }

  #trackPage(t: Track) {
    const { pan } = TRACK_FADER_RANGES;
    return html`
      <div class="track-page">
        ${this.#strip(t)}
        <div class="detail">
          <ob-slider touch variant="hbar" label="Pan" context=${t.name} .min=${pan.min} .max=${pan.max} .defaultValue=${0}
            .value=${t.pan} .format=${formatPan} .step=${pan.step} control=${trackControlKey(t.id, 'pan')}
            @ob-param=${(e: ParamEvent) => this.#update(t, { pan: e.value }, !e.final)}></ob-slider>
          ${repeat(t.chain, (p) => p.id, (p) => {
            const desc = getPlugin(p.type);
            if (!desc) return nothing;
            return html`<section class="plugin" aria-label=${desc.name}>
              <h3>${desc.name}${p.bypass ? ' (bypassed)' : ''}</h3>
              <div class="params">${desc.params.map((d) => html`<ob-slider touch label=${d.name} context=${desc.name} unit=${d.unit} scale=${d.scale}
                .min=${d.min} .max=${d.max} .defaultValue=${d.default} .step=${d.step} .choices=${d.choices}
                .value=${p.params[d.id] ?? d.default} .format=${(v: number) => formatValue(d, v)} control=${paramControlKey(t.id, p.id, d.id)}
                @ob-param=${(e: ParamEvent) => this.ctl.dispatch(op('PLUGIN_PARAMETER', {
                  track_id: t.id, plugin_id: p.id, parameter_id: d.id, parameter_value: e.value,
                }), { ephemeral: !e.final })}></ob-slider>`)}</div>
            </section>`;
          })}
        </div>
      </div>`;
  }

  override render() {
    const tracks = this.doc.tracks;
    if (!this.#pages.includes(this._page)) this._page = ALL;
    const page = this._page;
    const tab = (id: string, label: string) => html`<button role="tab" id=${`tab-${id}`} aria-controls="surface-page"
      aria-selected=${page === id ? 'true' : 'false'} tabindex=${page === id ? 0 : -1} @click=${() => (this._page = id)}>${label}</button>`;
    const track = tracks.find((t) => t.id === page);
    return html`
      <section aria-labelledby="surface-title">
        <h2 id="surface-title" class="visually-hidden">Surface</h2>
        <div class="tabs" role="tablist" aria-label="Surface pages" @keydown=${this.#tabKey}>
          ${tab(ALL, 'All faders')}
          ${repeat(tracks, (t) => t.id, (t) => tab(t.id, t.name))}
        </div>
        <div id="surface-page" role="tabpanel" aria-labelledby=${`tab-${page}`}
          @pointerdown=${(e: PointerEvent) => this.#swipeStart(e)} @pointerup=${(e: PointerEvent) => this.#swipeEnd(e)}
          @pointercancel=${() => (this.#swipe = null)}>
          ${track ? this.#trackPage(track) : html`<div class="all">
            ${repeat(tracks, (t) => t.id, (t) => this.#strip(t))}
            ${this.#strip(this.doc.master)}
          </div>`}
        </div>
      </section>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .tabs { display: flex; gap: 6px; overflow-x: auto; padding-bottom: 6px; margin-bottom: 10px; }
    .tabs [role=tab] { min-height: 44px; min-width: 44px; padding: 0 16px; white-space: nowrap; flex: none; }
    .tabs [role=tab][aria-selected=true] { background: #123d30; border-color: var(--ob-accent-2); color: var(--ob-accent-2); }
    #surface-page { touch-action: pan-y; }
    .all { display: grid; grid-template-columns: repeat(auto-fill, minmax(112px, 1fr)); gap: 10px; }
    .strip { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 10px 6px; background: var(--ob-panel, #171a21); border: 1px solid var(--ob-line); border-radius: 8px; min-width: 0; }
    .name { font-size: 13px; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .fader { display: flex; align-items: flex-end; gap: 2px; }
    .fader ob-meter { height: 200px; margin-bottom: 52px; }
    .toggles { display: flex; gap: 6px; }
    .toggle { min-width: 44px; min-height: 44px; font-weight: 600; }
    .toggle[aria-pressed=true] { background: #3d3512; border-color: #e7c53f; color: #e7c53f; }
    .track-page { display: grid; grid-template-columns: minmax(120px, 160px) 1fr; gap: 12px; align-items: start; }
    .detail { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
    .detail > ob-slider { width: 100%; }
    .plugin { border: 1px solid var(--ob-line); border-radius: 8px; padding: 8px 10px; }
    .plugin h3 { margin: 0 0 8px; font-size: 13px; }
    .params { display: flex; flex-wrap: wrap; gap: 10px; }
    @media (max-width: 600px) {
      .track-page { grid-template-columns: 1fr; }
      .all { grid-template-columns: repeat(auto-fill, minmax(100px, 1fr)); }
    }
    @media (max-height: 500px) {
      .fader ob-slider { --ob-fader-height: 130px; }
      .fader ob-meter { height: 130px; }
    }
  `];
}

customElements.define('ob-surface-view', ObSurfaceView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-surface-view': ObSurfaceView;
  }
}
