import { LitElement, css, html, nothing } from 'lit';
import type { AudioSession } from '../../app/audio-session.ts';
import { base } from '../styles.ts';
import type { PwaState } from './pwa-state.ts';

/**
 * `<ob-pwa-prompts>`: the snackbars: "Ready to work offline" once the app is
 * cached, and "Update available — Reload" when a new version waits. Reload
 * is the user's choice and is held back while audio plays.
 */
export class ObPwaPrompts extends LitElement {
  static override properties = { pwa: { attribute: false }, audio: { attribute: false }, _dismissedReady: { state: true }, _later: { state: true } };
  pwa!: PwaState;
  audio!: AudioSession;
  _dismissedReady = false;
  _later = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.pwa.addEventListener('change', () => this.requestUpdate());
    this.audio.addEventListener('change', () => this.requestUpdate());
  }

  override render() {
    const playing = this.audio.playing;
    return html`<div class="stack" role="status" aria-live="polite">
      ${this.pwa.updateWaiting && !this._later ? html`<div class="toast update">
        <span>Update available — ${playing ? 'stop playback to reload' : 'reload to get it'}.</span>
        <button class="primary" ?disabled=${playing} @click=${() => void this.pwa.applyUpdate()}>Reload</button>
        <button class="ghost" @click=${() => (this._later = true)}>Later</button></div>` : nothing}
      ${this.pwa.offlineReady && !this._dismissedReady ? html`<div class="toast ready">
        <span>Ready to work offline.</span>
        <button class="ghost" @click=${() => (this._dismissedReady = true)}>OK</button></div>` : nothing}
    </div>`;
  }

  static override styles = [base, css`
    :host { position: fixed; left: 0; right: 0; bottom: 16px; display: flex; justify-content: center; pointer-events: none; z-index: 20; padding: 0 12px; }
    .stack { display: grid; gap: 8px; }
    .toast { pointer-events: auto; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; background: #232834; border: 1px solid #3a4150;
      border-radius: 10px; padding: 8px 8px 8px 14px; box-shadow: 0 8px 24px #000a; max-width: 560px; }
    .toast.ready span::before { content: '●'; color: var(--ob-accent-2); margin-right: 8px; }
    .toast.update span::before { content: '●'; color: var(--ob-accent); margin-right: 8px; }
  `];
}

customElements.define('ob-pwa-prompts', ObPwaPrompts);

declare global {
  interface HTMLElementTagNameMap {
    'ob-pwa-prompts': ObPwaPrompts;
  }
}
