import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Track } from '../../protocol/session.ts';
import { MASTER_TRACK_ID } from '../../protocol/ids.ts';
import { getPlugin } from '../../plugins/index.ts';
import '../controls/ob-meter.ts';
import '../controls/ob-slider.ts';
import type { ObSlider } from '../controls/ob-slider.ts';
import type { ParamEvent } from '../events.ts';
import { NavigateEvent } from '../events.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { op } from '../../app/op-builders.ts';
import { surface } from '../../app/surface-state.ts';
import { trackControlKey } from '../../protocol/controls.ts';
import { TRACK_FADER_RANGES } from '../../app/midi/targets.ts';
import { learnOr } from '../midi/learn-or.ts';
import '../midi/ob-midi-badge.ts';
import { base } from '../styles.ts';
import { formatDb, formatPan, sourceLabel } from './format.ts';
import { Watch } from '../watch.ts';

/** Asks the mixer to move a track one place left (-1) or right (+1), or to remove it. */
export class TrackActionEvent extends Event {
  static readonly type = 'ob-track-action' as const;
  constructor(readonly trackId: string, readonly action: 'left' | 'right' | 'remove') {
    super(TrackActionEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ob-track-action': TrackActionEvent;
  }
}

/** Whether `next` differs from `prev` only in the fields its two sliders show (gain, pan). */
function onlyFadersMoved(prev: Track, next: Track): boolean {
  let fields = 0;
  for (const key in next) {
    fields++;
    const field = key as keyof Track;
    if (field !== 'gain_db' && field !== 'pan' && prev[field] !== next[field]) return false;
  }
  for (const _ in prev) fields--;
  return fields === 0;
}

/**
 * `<ob-track-strip>`: one mixer channel: name, source, mute/solo, a gain
 * fader with a meter beside it, pan, and a way into its rack.
 */
export class ObTrackStrip extends LitElement {
  static override properties = {
    track: { attribute: false },
    ctl: { attribute: false },
    first: { type: Boolean },
    last: { type: Boolean },
  };
  track!: Track;
  ctl!: SessionController;
  first = false;
  last = false;
  readonly #watch = new Watch(this, surface);

  get #master(): boolean {
    return this.track.id === MASTER_TRACK_ID;
  }

  #update(changes: Record<string, unknown>, ephemeral = false): void {
    this.ctl.dispatch(op('UPDATE_TRACK', { track_id: this.track.id, changes }), { ephemeral });
  }

  /**
   * What the user is typing in the name box, not yet entered, else null: a rename arriving from another
   * device meanwhile must not replace it. Not reactive: the box shows what is typed without a re-render.
   */
  #nameDraft: string | null = null;

  #rename(e: Event): void {
    const input = e.target as HTMLInputElement;
    const name = input.value.trim().slice(0, 200);
    this.#nameDraft = null;
    if (name && name !== this.track.name) this.#update({ name });
    // A track keeps a name (a blank one is refused by the model): the box shows the one it has.
    else input.value = this.track.name;
  }

  #cancelRename(input: HTMLInputElement): void {
    this.#nameDraft = null;
    input.value = this.track.name;
    input.blur();
  }

  /**
   * A moved fader or pan changes nothing else the strip draws: the slider
   * takes the new value and re-renders alone, the strip skips its render.
   */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    const prev = changed.get('track') as Track | undefined;
    if (changed.size !== 1 || !prev || !this.hasUpdated || !onlyFadersMoved(prev, this.track)) return true;
    this.#sliders ??= this.#findSliders();
    if (!this.#sliders) return true;
    this.#sliders.gain.value = this.track.gain_db;
    this.#sliders.pan.value = this.track.pan;
    return false;
  }

  /** The gain and pan sliders: rendered once with the strip and kept by every later render. */
  #sliders: { gain: ObSlider; pan: ObSlider } | null = null;

  #findSliders(): { gain: ObSlider; pan: ObSlider } | null {
    const gain = this.renderRoot.querySelector<ObSlider>('.fader-meter ob-slider');
    const pan = this.renderRoot.querySelector<ObSlider>('ob-slider.pan');
    return gain && pan ? { gain, pan } : null;
  }

  /** Focuses this strip's Rack button (a track was just added) and brings it into view. */
  async focusRack(): Promise<void> {
    await this.updateComplete;
    const rack = this.renderRoot.querySelector<HTMLButtonElement>('button.rack');
    rack?.focus();
    rack?.scrollIntoView({ block: 'nearest' });
  }

  override render() {
    const t = this.track;
    const plugins = t.chain.length;
    const ro = surface.readOnly;
    const { gain_db: gain, pan } = TRACK_FADER_RANGES;
    return html`
      <div class="strip ${t.mute ? 'muted' : ''}" role="group" aria-label=${`${t.name} channel`}>
        <input class="name" .value=${this.#nameDraft ?? t.name} aria-label=${`Name of ${t.name}`} ?readonly=${ro || this.#master}
          @input=${(e: Event) => (this.#nameDraft = (e.target as HTMLInputElement).value)} @change=${this.#rename}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            if (e.key === 'Escape') this.#cancelRename(e.target as HTMLInputElement);
          }} />
        <div class="source muted">${this.#master ? 'Master bus' : sourceLabel(t)}</div>
        <div class="inserts" aria-hidden="true" title="Open the rack" @click=${() => this.dispatchEvent(new NavigateEvent('rack', t.id))}>
          ${t.chain.slice(0, 4).map((p) => html`<span class=${p.bypass ? 'off' : ''}>${getPlugin(p.type)?.name ?? p.type}</span>`)}
          ${t.chain.length > 4 ? html`<span class="more">+${t.chain.length - 4}</span>` : nothing}
          ${t.chain.length === 0 ? html`<span class="none">no inserts</span>` : nothing}
        </div>
        <div class="buttons">
          <button class="toggle mute" aria-pressed=${t.mute ? 'true' : 'false'} aria-label=${`Mute ${t.name}`} title="Mute" ?disabled=${ro}
            @click=${() => learnOr({ kind: 'track', track_id: t.id, field: 'mute' }, () => this.#update({ mute: !t.mute }))}>M</button>
          ${this.#master ? nothing : html`<button class="toggle solo" aria-pressed=${t.solo ? 'true' : 'false'}
            aria-label=${`Solo ${t.name}`} title="Solo" ?disabled=${ro}
            @click=${() => learnOr({ kind: 'track', track_id: t.id, field: 'solo' }, () => this.#update({ solo: !t.solo }))}>S</button>`}
        </div>
        <div class="midi-badges">
          <ob-midi-badge target-key=${trackControlKey(t.id, 'mute')}></ob-midi-badge>
          ${this.#master ? nothing : html`<ob-midi-badge target-key=${trackControlKey(t.id, 'solo')}></ob-midi-badge>`}
        </div>
        <div class="fader-meter">
          <ob-slider variant="vfader" label="Gain" context=${t.name} unit="dB" scale=${gain.scale} .min=${gain.min}
            .max=${gain.max} .defaultValue=${0} .value=${t.gain_db} .format=${formatDb} .step=${gain.step} control=${trackControlKey(t.id, 'gain_db')}
            @ob-param=${(e: ParamEvent) => this.#update({ gain_db: e.value }, !e.final)}></ob-slider>
          <ob-meter data-track=${t.id} label=${`${t.name} level`}></ob-meter>
        </div>
        <ob-slider variant="hbar" class="pan" label="Pan" context=${t.name} .min=${pan.min} .max=${pan.max} .defaultValue=${0}
          .value=${t.pan} .format=${formatPan} .step=${pan.step} control=${trackControlKey(t.id, 'pan')}
          @ob-param=${(e: ParamEvent) => this.#update({ pan: e.value }, !e.final)}></ob-slider>
        <button class="rack" @click=${() => this.dispatchEvent(new NavigateEvent('rack', t.id))}
          aria-label=${`Open the rack of ${t.name}`}>Rack${plugins ? html` <span class="count">${plugins}</span>` : nothing}</button>
        ${this.#master ? nothing : html`<div class="order">
          <button class="icon ghost" aria-label=${`Move ${t.name} left`} ?disabled=${ro || this.first}
            @click=${() => this.dispatchEvent(new TrackActionEvent(t.id, 'left'))}>‹</button>
          <button class="icon ghost danger" aria-label=${`Remove ${t.name}`} ?disabled=${ro}
            @click=${() => this.dispatchEvent(new TrackActionEvent(t.id, 'remove'))}>✕</button>
          <button class="icon ghost" aria-label=${`Move ${t.name} right`} ?disabled=${ro || this.last}
            @click=${() => this.dispatchEvent(new TrackActionEvent(t.id, 'right'))}>›</button>
        </div>`}
      </div>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .strip { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 10px 8px; background: var(--ob-panel);
      border: 1px solid var(--ob-line); border-radius: var(--ob-radius); height: 100%; }
    :host([master]) .strip { background: var(--ob-panel-2); border-color: #3a3324; }
    .name { width: 100%; text-align: center; font-weight: 600; background: transparent; border-color: transparent; min-height: 28px; padding: 4px; }
    .name:hover, .name:focus { border-color: var(--ob-line); background: #0b0d11; }
    .source { font-size: 11px; min-height: 15px; text-align: center; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
    .buttons { display: flex; gap: 6px; }
    .midi-badges { display: flex; gap: 4px; flex-wrap: wrap; justify-content: center; }
    .midi-badges:empty { display: none; }
    .inserts { cursor: pointer; width: 100%; padding: 3px; border: 1px solid #262b35; display: grid; gap: 2px; background: #0b0d11; border-radius: 5px; min-height: 70px; align-content: start; }
    .inserts span { font-size: 10.5px; line-height: 14px; padding: 0 6px; border-radius: 3px; background: #1f2530; color: #c9d1dc; text-align: left; overflow: hidden; text-overflow: ellipsis; }
    .inserts span.off { color: var(--ob-dim); text-decoration: line-through; background: transparent; }
    .inserts span.more, .inserts span.none { background: transparent; color: var(--ob-dim); }
    .toggle { width: 36px; padding: 0; font-weight: 700; font-size: 12px; }
    .toggle.mute[aria-pressed=true], .toggle.mute[aria-pressed=true]:hover:not(:disabled) { background: var(--ob-mute); color: #1c1500; border-color: var(--ob-mute); }
    .toggle.solo[aria-pressed=true], .toggle.solo[aria-pressed=true]:hover:not(:disabled) { background: var(--ob-solo); color: #00131f; border-color: var(--ob-solo); }
    .fader-meter { display: flex; align-items: flex-end; gap: 2px; }
    .fader-meter ob-meter { margin-bottom: 28px; }
    .pan { width: 100%; }
    .rack { width: 100%; }
    .count { display: inline-block; min-width: 18px; padding: 0 5px; border-radius: 9px; background: #0b0d11; color: var(--ob-accent); font-size: 11px; }
    .order { display: flex; justify-content: space-between; width: 100%; }
    .strip.muted ob-slider { opacity: .6; }
  `];
}

customElements.define('ob-track-strip', ObTrackStrip);

declare global {
  interface HTMLElementTagNameMap {
    'ob-track-strip': ObTrackStrip;
  }
}
