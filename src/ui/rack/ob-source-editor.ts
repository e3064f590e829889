import { LitElement, css, html, nothing } from 'lit';
import { newId } from '../../protocol/ids.ts';
import type { Source, Track } from '../../protocol/session.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { op } from '../../app/op-builders.ts';
import { base } from '../styles.ts';
import type { AudioSession } from '../../app/audio-session.ts';
import './ob-keys.ts';
import './ob-step-grid.ts';
import { surface } from '../../app/surface-state.ts';
import { isQuotaError } from '../../store/index.ts';
import { Watch } from '../watch.ts';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * `<ob-source-editor>`: what feeds a track. An instrument track shows its
 * step grid; other tracks choose none, an audio file (kept in IndexedDB so
 * it plays offline) or live input.
 */
export class ObSourceEditor extends LitElement {
  static override properties = { track: { attribute: false }, ctl: { attribute: false }, audio: { attribute: false }, _error: { state: true } };
  readonly #watch = new Watch(this, surface);
  track!: Track;
  ctl!: SessionController;
  audio!: AudioSession;
  _error = '';

  #set(source: Source): void {
    this.ctl.dispatch(op('UPDATE_TRACK', { track_id: this.track.id, changes: { source } }));
  }

  async #file(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      this._error = `${file.name} is larger than 64 MB`;
      return;
    }
    this._error = '';
    const id = newId('smp');
    try {
      await this.ctl.store.putSample({ id, name: file.name, type: file.type, bytes: await file.arrayBuffer(), created_at: Date.now() });
    } catch (error) {
      // The track keeps its source: it would name a sample that was never kept.
      this._error = isQuotaError(error)
        ? `${file.name} (${(file.size / 1e6).toFixed(1)} MB) was not added: this device's storage for Outboard is full. `
          + 'Delete sessions or audio files you no longer need, then try again. Everything already saved is kept.'
        : `${file.name} could not be kept on this device: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    this.#set({ kind: 'file', sample_id: id, name: file.name.slice(0, 200) });
  }

  override render() {
    const t = this.track;
    if (t.chain[0]?.type === 'synth') {
      return html`<ob-step-grid .track=${t} .ctl=${this.ctl}></ob-step-grid><ob-keys .trackId=${t.id} .audio=${this.audio}></ob-keys>`;
    }
    const kind = t.source.kind;
    return html`
      <div class="row">
        <h3>Source</h3>
        <div class="seg" role="radiogroup" aria-label="Source">
          ${(['none', 'file', 'input'] as const).map((k) => html`<button role="radio" aria-checked=${kind === k ? 'true' : 'false'} ?disabled=${surface.readOnly}
            @click=${() => (k === 'file' ? this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click() : this.#set({ kind: k }))}>
            ${{ none: 'None', file: 'Audio file', input: 'Live input' }[k]}</button>`)}
        </div>
        <input type="file" accept="audio/*,.wav,.mp3,.ogg,.flac,.m4a" class="visually-hidden" tabindex="-1" aria-label="Choose an audio file" @change=${this.#file} />
        <span class="muted">${t.source.kind === 'file' ? `Looping ${t.source.name || 'audio file'}` : kind === 'input' ? 'Plays the audio input (asks for the microphone on Play)' : ''}</span>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .seg { display: inline-flex; border: 1px solid var(--ob-line); border-radius: 6px; overflow: hidden; }
    .seg button { border: 0; border-radius: 0; background: transparent; }
    .seg button[aria-checked=true] { background: var(--ob-raised); color: var(--ob-accent); }
    .error { color: var(--ob-danger); margin: 8px 0 0; }
  `];
}

customElements.define('ob-source-editor', ObSourceEditor);

declare global {
  interface HTMLElementTagNameMap {
    'ob-source-editor': ObSourceEditor;
  }
}
