import { LitElement, css, html, nothing } from 'lit';
import type { AudioSession } from '../../app/audio-session.ts';
import { base } from '../styles.ts';
import { noteName } from './ob-step-grid.ts';

const FIRST = 48; // C3
const COUNT = 25; // two octaves and the top C
const BLACK = new Set([1, 3, 6, 8, 10]);

/**
 * `<ob-keys>`: an on-screen keyboard to audition an instrument track (each
 * finger its own note), and a button to play it from MIDI keyboards.
 * Audio starts on the first key, as browsers require a gesture.
 */
export class ObKeys extends LitElement {
  static override properties = { trackId: { attribute: false }, audio: { attribute: false }, _midi: { state: true } };
  trackId = '';
  audio!: AudioSession;
  _midi = '';
  #down = new Map<number, number>();

  async #on(e: PointerEvent, note: number): Promise<void> {
    e.preventDefault();
    (e.currentTarget as Element).releasePointerCapture?.(e.pointerId);
    this.#down.set(e.pointerId, note);
    const engine = await this.audio.ensure();
    if (this.#down.get(e.pointerId) === note) engine?.noteOn?.(this.trackId, note, 0.8);
  }

  #off(e: PointerEvent): void {
    const note = this.#down.get(e.pointerId);
    if (note === undefined) return;
    this.#down.delete(e.pointerId);
    this.audio.engine?.noteOff?.(this.trackId, note);
  }

  /** Sliding a finger across the keys plays each key it enters. */
  #enter(e: PointerEvent, note: number): void {
    if (!this.#down.has(e.pointerId) || this.#down.get(e.pointerId) === note) return;
    this.#off(e);
    void this.#on(e, note);
  }

  async #enableMidi(): Promise<void> {
    const engine = await this.audio.ensure();
    if (!engine?.enableMidi) {
      this._midi = 'MIDI is not available with this audio engine.';
      return;
    }
    const status = await engine.enableMidi(this.trackId);
    this._midi = !status.available ? `MIDI unavailable: ${status.reason ?? 'no Web MIDI'}`
      : status.inputs.length ? `Playing from ${status.inputs.join(', ')}` : 'MIDI on — no keyboard connected yet';
  }

  override render() {
    const notes = Array.from({ length: COUNT }, (_, i) => FIRST + i);
    return html`
      <div class="row head">
        <h3>Keys</h3>
        <span class="muted">Audition the synth, or play it from a MIDI keyboard</span>
        <span class="spacer"></span>
        <button class="ghost" @click=${this.#enableMidi}>Use MIDI keyboard</button>
      </div>
      ${this._midi ? html`<p class="muted midi" role="status">${this._midi}</p>` : nothing}
      <div class="keys" role="group" aria-label="On-screen keyboard">
        ${notes.map((n) => html`<button class=${BLACK.has(n % 12) ? 'black' : 'white'} aria-label=${`Play ${noteName(n)}`} tabindex="-1"
          @pointerdown=${(e: PointerEvent) => this.#on(e, n)} @pointerup=${this.#off} @pointercancel=${this.#off}
          @pointerleave=${this.#off} @pointerenter=${(e: PointerEvent) => this.#enter(e, n)}
          @keydown=${(e: KeyboardEvent) => e.preventDefault()}>${n % 12 === 0 ? html`<span>${noteName(n)}</span>` : nothing}</button>`)}
      </div>`;
  }

  static override styles = [base, css`
    :host { display: block; margin-top: 14px; }
    .head { margin-bottom: 8px; }
    .midi { margin: 0 0 8px; font-size: 12px; }
    .keys { display: flex; height: 84px; touch-action: none; user-select: none; -webkit-user-select: none; }
    .keys button { padding: 0; min-height: 0; border-radius: 0 0 5px 5px; display: flex; align-items: flex-end; justify-content: center; }
    .white { flex: 1 1 0; min-width: 0; background: linear-gradient(#b9bfc9, #dde1e7); border: 1px solid #0b0d11; color: #5b6270; font-size: 10px; }
    .white:hover:not(:disabled) { background: linear-gradient(#c8cdd6, #eceff3); }
    .white:active { background: var(--ob-accent); }
    .black { flex: 0 0 0; width: 0; position: relative; z-index: 1; border: 0; background: transparent; overflow: visible; }
    .black::before { content: ''; position: absolute; top: 0; left: -9px; width: 18px; height: 52px; background: linear-gradient(#2a2f3a, #11141a); border-radius: 0 0 4px 4px; border: 1px solid #000; }
    .black:active::before { background: var(--ob-accent); }
    .black:hover:not(:disabled) { background: transparent; }
    .keys span { margin-bottom: 4px; pointer-events: none; }
  `];
}

customElements.define('ob-keys', ObKeys);

declare global {
  interface HTMLElementTagNameMap {
    'ob-keys': ObKeys;
  }
}
