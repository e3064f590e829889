import { LitElement, css, html, nothing } from 'lit';
import type { AudioSession } from '../../app/audio-session.ts';
import { base } from '../styles.ts';
import type { PwaState } from './pwa-state.ts';

/** How long "Ready to work offline" stays: news, not a question (it waits while pointed at or focused). */
const READY_MS = 6000;

/**
 * `<ob-pwa-prompts>`: the snackbars: "Ready to work offline" once the app is
 * cached, and "Update available — Reload" when a new version waits. Reload
 * is the user's choice and is held back while audio plays. The shell places
 * them in the page's flow after the view: they never cover a control, and
 * their coming and going moves nothing the user might be about to press.
 */
export class ObPwaPrompts extends LitElement {
  static override properties = { pwa: { attribute: false }, audio: { attribute: false }, _dismissedReady: { state: true }, _later: { state: true } };
  pwa!: PwaState;
  audio!: AudioSession;
  _dismissedReady = false;
  _later = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.pwa.on('change', () => this.requestUpdate());
    this.audio.on('change', () => this.requestUpdate());
  }

  #readyTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#readyTimer);
  }

  /** (Re)starts the ready toast's countdown; paused while the user points at or focuses it. */
  #countdown(run: boolean): void {
    clearTimeout(this.#readyTimer);
    if (run) this.#readyTimer = setTimeout(() => (this._dismissedReady = true), READY_MS);
  }

  protected override updated(): void {
    if (this.pwa.offlineReady && !this._dismissedReady && this.#readyTimer === undefined) this.#countdown(true);
  }

  override render() {
    const playing = this.audio.playing;
    const update = this.pwa.updateWaiting && !this._later;
    const ready = this.pwa.offlineReady && !this._dismissedReady;
    return html`<div class="stack ${update || ready ? 'on' : ''}" role="status" aria-live="polite">
      ${update ? html`<div class="toast update">
        <span>Update available — ${playing ? 'stop playback to reload' : 'reload to get it'}.</span>
        <button class="primary" ?disabled=${playing} @click=${() => void this.pwa.applyUpdate()}>Reload</button>
        <button class="ghost" @click=${() => (this._later = true)}>Later</button></div>` : nothing}
      ${ready ? html`<div class="toast ready"
        @pointerenter=${() => this.#countdown(false)} @pointerleave=${() => this.#countdown(true)}
        @focusin=${() => this.#countdown(false)} @focusout=${() => this.#countdown(true)}>
        <span>Ready to work offline.</span>
        <button class="ghost" @click=${() => (this._dismissedReady = true)}>OK</button></div>` : nothing}
    </div>`;
  }

  static override styles = [base, css`
    :host { display: flex; justify-content: center; padding: 0 12px; }
    .stack { display: grid; gap: 8px; }
    .stack.on { margin: 0 0 16px; }
    .toast { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; background: #232834; border: 1px solid #3a4150;
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
