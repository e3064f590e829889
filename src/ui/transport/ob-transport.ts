import { LitElement, css, html, nothing } from 'lit';
import { TEMPO_RANGE } from '../../protocol/session.ts';
import type { AudioSession } from '../../app/audio-session.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { op } from '../../app/op-builders.ts';
import { download, safeName } from '../sessions/session-files.ts';
import { base } from '../styles.ts';
import { surface } from '../../app/surface-state.ts';
import { midiTargetKey } from '../../protocol/midi-mapping.ts';
import { learnOr } from '../midi/learn-or.ts';
import '../midi/ob-midi-badge.ts';
import { Watch, WatchDoc } from '../watch.ts';

/**
 * `<ob-transport>`: Play, Stop, tempo and Export WAV. Audio starts on the
 * first Play (a user gesture, as browsers require); when it cannot, the
 * reason is shown and editing carries on. It reads the open session from
 * the controller and re-renders for what it shows (tempo, the shared
 * transport, this device's audio), never for a change elsewhere in the session.
 */
export class ObTransport extends LitElement {
  static override properties = {
    ctl: { attribute: false }, audio: { attribute: false },
    _busy: { state: true }, _progress: { state: true }, _tempoError: { state: true },
  };
  ctl!: SessionController;
  audio!: AudioSession;
  _busy = false;
  _progress: number | null = null;
  /** Why the typed tempo was refused; shown beside it while the box keeps focus. */
  _tempoError = '';
  readonly #watch = new Watch(this, surface);
  readonly #audio = new Watch(this, { on: (type, listener) => this.audio.on(type, listener) });
  readonly #shownTempo = new WatchDoc(this, () => this.ctl, (doc) => doc?.tempo_bpm);
  readonly #shownPlaying = new WatchDoc(this, () => this.ctl, (doc) => doc?.playing);

  async #play(): Promise<void> {
    this._busy = true;
    await this.audio.play();
    this._busy = false;
  }

  /**
   * What the user has typed in the tempo box and not yet entered, else null: a tempo arriving from elsewhere
   * meanwhile must not replace it. Not reactive: the box shows what is typed without a re-render.
   */
  #tempoDraft: string | null = null;

  #tempo(e: Event): void {
    const input = e.target as HTMLInputElement;
    const bpm = Math.round(Number(input.value) * 10) / 10;
    if (input.value.trim() === '' || !Number.isFinite(bpm) || bpm < TEMPO_RANGE.min || bpm > TEMPO_RANGE.max) {
      this._tempoError = `Tempo must be ${TEMPO_RANGE.min}–${TEMPO_RANGE.max} BPM`;
      input.focus();
      input.select();
      return;
    }
    this._tempoError = '';
    this.#tempoDraft = null;
    if (bpm !== this.ctl.doc?.tempo_bpm) this.ctl.dispatch(op('UPDATE_SESSION', { changes: { tempo_bpm: bpm } }));
  }

  #cancelTempo(e: Event): void {
    this.#tempoDraft = null;
    (e.target as HTMLInputElement).value = String(this.ctl.doc?.tempo_bpm ?? '');
    this._tempoError = '';
  }

  /**
   * Leaving the box without entering a change (the text typed back to what it was): it follows the session's
   * tempo again. A refused tempo stays, with its reason, to be corrected.
   */
  #leaveTempo(e: Event): void {
    if (this.#tempoDraft === null || this._tempoError) return;
    this.#tempoDraft = null;
    (e.target as HTMLInputElement).value = String(this.ctl.doc?.tempo_bpm ?? '');
  }

  async #export(): Promise<void> {
    this._progress = 0;
    try {
      const blob = await this.audio.exportWav((f) => (this._progress = f));
      if (blob) download(blob, `${safeName(this.ctl.doc?.name ?? 'session')}.wav`);
    } catch (error) {
      this.audio.error = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    this._progress = null;
  }

  override render() {
    // Between the session closing and the shell taking this bar away.
    const doc = this.ctl.doc;
    if (!doc) return nothing;
    const playing = this.audio.playing;
    const exporting = this._progress !== null;
    return html`
      <div class="transport" role="group" aria-label="Transport">
        <button aria-label="Play" class="play ${playing ? 'on' : ''}" aria-pressed=${playing ? 'true' : 'false'} ?disabled=${this._busy} @click=${() => learnOr({ kind: 'transport' }, () => void this.#play())}>
          <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" /></svg><span>Play</span></button>
        <button aria-label="Stop" class="stop" @click=${() => learnOr({ kind: 'transport' }, () => this.audio.stop())}>
          <svg viewBox="0 0 16 16" aria-hidden="true"><rect x="3.5" y="3.5" width="9" height="9" rx="1" /></svg><span>Stop</span></button>
        <ob-midi-badge target-key=${midiTargetKey({ kind: 'transport' })}></ob-midi-badge>
        <label class="tempo"><span>BPM</span>
          <input type="number" aria-label="Tempo in BPM" min=${TEMPO_RANGE.min} max=${TEMPO_RANGE.max} step="1"
            aria-invalid=${this._tempoError ? 'true' : 'false'} aria-describedby=${this._tempoError ? 'tempo-error' : nothing}
            .value=${this.#tempoDraft ?? String(doc.tempo_bpm)} ?readonly=${surface.readOnly} @change=${this.#tempo}
            @input=${(e: Event) => (this.#tempoDraft = (e.target as HTMLInputElement).value)} @blur=${this.#leaveTempo}
            @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#cancelTempo(e)} /></label>
        ${this._tempoError ? html`<span id="tempo-error" class="refusal" role="alert">${this._tempoError}</span>` : nothing}
        <label class="audio-switch"><input type="checkbox" role="switch" .checked=${this.audio.audioOn}
          @change=${(e: Event) => void this.audio.setAudioOn((e.target as HTMLInputElement).checked)} />Audio on this device</label>
        <button class="export" ?disabled=${exporting} @click=${this.#export}>
          ${exporting ? html`Exporting… ${Math.round((this._progress ?? 0) * 100)}%<span class="visually-hidden"> (Export WAV)</span>` : 'Export WAV'}</button>
      </div>
      ${this.audio.anyAudio ? nothing : html`<p class="no-audio" role="status">No device has audio on: Play moves the transport, but nothing sounds.</p>`}
      ${this.audio.error ? html`<p class="error" role="status">${this.audio.error}</p>` : nothing}`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .transport { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
    .play, .stop { display: inline-flex; align-items: center; gap: 6px; padding: 6px 12px; }
    svg { width: 14px; height: 14px; fill: currentColor; }
    .play.on { background: #123d30; border-color: var(--ob-accent-2); color: var(--ob-accent-2); }
    .tempo { display: inline-flex; align-items: center; gap: 6px; color: var(--ob-dim); font-size: 11px; letter-spacing: .06em; }
    .tempo input { width: 68px; font: 13px var(--ob-mono); text-align: right; }
    .tempo input[aria-invalid=true] { border-color: #ff7a6b; }
    .refusal { color: #ffb4a8; font-size: 12px; }
    .audio-switch { display: inline-flex; align-items: center; gap: 6px; min-height: 32px; font-size: 12px; color: var(--ob-dim); }
    .no-audio { margin: 6px 0 0; color: #f5d76e; font-size: 12px; }
    .error { margin: 6px 0 0; color: #ffb4a8; font-size: 12px; }
    @media (max-width: 520px) { .play span, .stop span { display: none; } .play, .stop { padding: 6px 10px; } }
  `];
}

customElements.define('ob-transport', ObTransport);

declare global {
  interface HTMLElementTagNameMap {
    'ob-transport': ObTransport;
  }
}
