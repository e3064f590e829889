import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { SessionDocument, Track } from '../../protocol/session.ts';
import type { ObMeter } from '../controls/ob-meter.ts';
import { currentLevels } from '../../app/meters.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { addTrackOps, batch, moveTrackOp, op, restoreTrackOp, type TrackKind } from '../../app/op-builders.ts';
import { surface } from '../../app/surface-state.ts';
import { midi } from '../../app/midi/midi-control.ts';
import { base } from '../styles.ts';
import './ob-track-strip.ts';
import type { ObTrackStrip, TrackActionEvent } from './ob-track-strip.ts';
import { followDocument, Watch } from '../watch.ts';

const KIND_NAMES: Record<TrackKind, string> = { synth: 'Synth', audio: 'Audio', input: 'Input' };
/** How long Undo is offered after a track was removed. */
const UNDO_MS = 10_000;

/**
 * `<ob-mixer-view>`: the channel strips, the master bus, and adding,
 * removing and reordering tracks. Meters are read from the engine on every
 * animation frame while the view is shown.
 */
export class ObMixerView extends LitElement {
  static override properties = { doc: { attribute: false }, ctl: { attribute: false }, _removed: { state: true } };
  readonly #watch = new Watch(this, surface);
  readonly #doc = followDocument(this);
  doc!: SessionDocument;
  ctl!: SessionController;
  #raf = 0;
  /** The track just removed and where it was, while Undo is offered. */
  _removed: { track: Track; index: number } | null = null;
  #undoTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('ob-track-action', (e) => this.#onAction(e));
    const tick = () => {
      this.#raf = requestAnimationFrame(tick);
      // This device's engine, or a surface's levels from the audio host elsewhere (METERS frames).
      const levels = this.ctl ? currentLevels(this.ctl.engine) : undefined;
      if (!levels) return;
      this.#meters ??= this.#findMeters();
      for (const m of this.#meters ?? []) {
        const level = levels.get(m.dataset.track ?? '');
        if (level) m.setLevels(level.peak, level.rms);
      }
    };
    this.#raf = requestAnimationFrame(tick);
  }

  /** The strips' container: rendered once with the view and kept by every later render. */
  #stripsBox: Element | null = null;

  /** The strips' meters, looked up once after each render of this view, not on every frame (null: look again). */
  #meters: ObMeter[] | null = null;

  /** Every strip's meter, or null while a strip has not rendered its own yet. */
  #findMeters(): ObMeter[] | null {
    const meters: ObMeter[] = [];
    for (const strip of this.renderRoot.querySelectorAll<ObTrackStrip>('ob-track-strip')) {
      const m = strip.renderRoot?.querySelector<ObMeter>('ob-meter');
      if (!m) return null;
      meters.push(m);
    }
    return meters;
  }

  protected override updated(): void {
    this.#meters = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.#raf);
    clearTimeout(this.#undoTimer);
  }

  /**
   * A new document with the same tracks in the same order (a fader moved, a
   * track renamed or muted) changes nothing this view draws itself: each
   * changed track goes straight to its strip, which re-renders alone, and
   * this view skips its render (no template per track per fader event).
   */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    const prev = changed.get('doc') as SessionDocument | undefined;
    if (changed.size !== 1 || !prev || !this.hasUpdated) return true;
    const next = this.doc;
    this.#stripsBox ??= this.renderRoot.querySelector('.strips');
    const strips = this.#stripsBox?.children;
    // Strips in track order, the master last (an empty mixer shows a notice instead: re-render).
    if (!strips || next.tracks.length === 0 || strips.length !== next.tracks.length + 1 || prev.tracks.length !== next.tracks.length) return true;
    for (let i = 0; i < next.tracks.length; i++) if (prev.tracks[i]!.id !== next.tracks[i]!.id) return true;
    for (let i = 0; i < next.tracks.length; i++) {
      if (prev.tracks[i] !== next.tracks[i]) (strips[i] as ObTrackStrip).track = next.tracks[i]!;
    }
    if (prev.master !== next.master) (strips[next.tracks.length] as ObTrackStrip).track = next.master;
    return false;
  }

  #add(kind: TrackKind): void {
    const n = this.doc.tracks.filter((t) => t.name.startsWith(KIND_NAMES[kind])).length + 1;
    const { trackId, ops } = addTrackOps(kind, `${KIND_NAMES[kind]} ${n}`);
    this.ctl.dispatch(ops.length === 1 ? ops[0]! : batch(ops));
    // Every kind stays on the mixer; the new strip's Rack button takes focus (Enter opens it: a file to pick, a chain to build).
    this.#focusRackOf(trackId);
  }

  /** Focuses a strip's Rack button. The new document reaches this view through its next update: look for the strip after it. */
  #focusRackOf(trackId: string): void {
    requestAnimationFrame(() => void this.updateComplete.then(() => this.renderRoot.querySelector<ObTrackStrip>(`ob-track-strip[data-track="${CSS.escape(trackId)}"]`)?.focusRack()));
  }

  #onAction(e: TrackActionEvent): void {
    const i = this.doc.tracks.findIndex((t) => t.id === e.trackId);
    const track = this.doc.tracks[i];
    if (!track) return;
    if (e.action === 'remove') {
      // Removed at once; a notice offers Undo rather than a question before.
      if (this.ctl.dispatch(op('REMOVE_TRACK', { track_id: track.id })).status !== 'applied') return;
      this._removed = { track, index: i };
      clearTimeout(this.#undoTimer);
      this.#undoTimer = setTimeout(() => this.#closeNotice(), UNDO_MS);
      // Focus was on the vanished strip's Remove button: the notice's Undo is where a keyboard user continues.
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.undo button')?.focus());
      return;
    }
    const to = e.action === 'left' ? i - 1 : i + 1;
    if (to < 0 || to >= this.doc.tracks.length) return;
    this.ctl.dispatch(moveTrackOp(track.id, to));
  }

  #undo(): void {
    const removed = this._removed;
    this._removed = null;
    clearTimeout(this.#undoTimer);
    if (!removed) return;
    const restore = restoreTrackOp(removed.track, Math.min(removed.index, this.doc.tracks.length));
    if (this.ctl.dispatch(restore.op).status !== 'applied') return;
    // The controller's knobs for the removed track move the restored one, as before the removal.
    void midi.book?.retarget(restore.ids);
    this.#focusRackOf(restore.trackId);
  }

  /** Closes the Undo notice; focus in it goes to the strip now where the removed track was (else the master's). */
  #closeNotice(): void {
    const removed = this._removed;
    this._removed = null;
    clearTimeout(this.#undoTimer);
    if (!removed || !this.renderRoot.querySelector('.undo')?.contains((this.renderRoot as ShadowRoot).activeElement)) return;
    this.#focusRackOf(this.doc.tracks[Math.min(removed.index, this.doc.tracks.length - 1)]?.id ?? this.doc.master.id);
  }

  override render() {
    const tracks = this.doc.tracks;
    const removed = this._removed;
    return html`
      <section aria-labelledby="mixer-title">
        <div class="head row">
          <h2 id="mixer-title">Mixer</h2>
          <span class="spacer"></span>
          <div class="row add" role="group" aria-label="Add track">
            <button ?disabled=${surface.readOnly} @click=${() => this.#add('synth')}>+ Synth track</button>
            <button ?disabled=${surface.readOnly} @click=${() => this.#add('audio')}>+ Audio track</button>
            <button ?disabled=${surface.readOnly} @click=${() => this.#add('input')}>+ Input track</button>
          </div>
        </div>
        <div class="undo" role="status">${removed ? html`<span>Removed "${removed.track.name}".</span>
          <button @click=${() => this.#undo()}>Undo</button>
          <button class="ghost" aria-label="Dismiss" @click=${() => this.#closeNotice()}>✕</button>` : nothing}</div>
        <div class="strips">
          ${tracks.length === 0 ? html`<div class="empty first">No tracks yet. Add a synth track to hear something.</div>` : ''}
          ${repeat(tracks, (t) => t.id, (t, i) => html`<ob-track-strip data-track=${t.id} .track=${t} .ctl=${this.ctl}
            ?first=${i === 0} ?last=${i === tracks.length - 1}></ob-track-strip>`)}
          <ob-track-strip master data-track=${this.doc.master.id} .track=${this.doc.master} .ctl=${this.ctl}></ob-track-strip>
        </div>
      </section>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .head { margin-bottom: 12px; }
    .head h2 { margin: 0; }
    .undo:not(:empty) { display: flex; align-items: center; gap: 10px; margin: 0 0 12px; padding: 6px 6px 6px 12px; border-radius: 6px; background: #232834; border: 1px solid #3a4150; }
    .undo span { flex: 1; }
    .strips { display: grid; grid-template-columns: repeat(auto-fill, minmax(128px, 1fr)); gap: 10px; align-items: stretch; }
    .empty.first { grid-column: 1 / -1; }
    @media (max-width: 520px) {
      .strips { grid-template-columns: repeat(auto-fill, minmax(112px, 1fr)); gap: 8px; }
      .add button { padding: 6px 8px; }
    }
  `];
}

customElements.define('ob-mixer-view', ObMixerView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-mixer-view': ObMixerView;
  }
}
