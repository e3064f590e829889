import { LitElement, css, html, nothing } from 'lit';
import type { AudioDeviceInfo } from '../../engine/types.ts';
import { canChooseOutput, listOutputs, type OutputDevice } from '../../engine/output-device.ts';
import { storageReport, type StorageReport } from '../../store/index.ts';
import type { PwaState } from '../pwa/pwa-state.ts';
import type { AudioSession } from '../../app/audio-session.ts';
import type { SessionController } from '../../app/session-controller.ts';
import type { SyncLink } from '../../app/sync-link.ts';
import '../sync/ob-sync-card.ts';
import '../midi/ob-midi-card.ts';
import { base } from '../styles.ts';

const mb = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`);
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

/**
 * `<ob-settings-view>`: storage used (and whether it is persistent), changes
 * waiting for sync, the audio device, the relay connection, and installing the app.
 */
export class ObSettingsView extends LitElement {
  static override properties = {
    ctl: { attribute: false }, audio: { attribute: false }, pwa: { attribute: false }, sync: { attribute: false },
    _storage: { state: true }, _outbox: { state: true }, _info: { state: true }, _asked: { state: true },
    _outputs: { state: true }, _output: { state: true },
  };
  ctl!: SessionController;
  audio!: AudioSession;
  pwa!: PwaState;
  /** The relay link, for the Sync card. */
  sync: SyncLink | null = null;
  _storage: StorageReport | null = null;
  _outbox = 0;
  _info: AudioDeviceInfo | null = null;
  /** Whether persistence was asked for (after the first save) and what the browser said. */
  _asked: { granted: boolean } | null = null;
  /** Output devices to choose from (empty where the browser cannot choose), and this device's choice. */
  _outputs: OutputDevice[] = [];
  _output = '';

  #off: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh();
    this.#off = [
      this.pwa.on('change', () => this.requestUpdate()),
      // Audio started (Play in the header) or failed while this view is open.
      this.audio.on('change', () => void (this._info = this.ctl.engine?.info() ?? null)),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#off.forEach((off) => off());
    this.#off = [];
  }

  async #refresh(): Promise<void> {
    await this.ctl.flush();
    this._storage = await storageReport();
    this._outbox = await this.ctl.store.outboxCount();
    const asked = await this.ctl.store.getSetting('storage_persist_requested');
    this._asked = typeof asked === 'object' && asked !== null ? { granted: (asked as { granted?: unknown }).granted === true } : null;
    this._info = this.ctl.engine?.info() ?? null;
    this._output = await this.audio.output();
    this._outputs = canChooseOutput() ? await listOutputs().catch(() => []) : [];
  }

  async #chooseOutput(e: Event): Promise<void> {
    const id = (e.target as HTMLSelectElement).value;
    this._output = id;
    await this.audio.chooseOutput(id);
    this._info = this.ctl.engine?.info() ?? null;
  }

  #outputPicker() {
    if (!canChooseOutput()) return html`<p class="muted small">Output: the system's default device (this browser cannot choose another).</p>`;
    const known = this._output === '' || this._outputs.some((o) => o.id === this._output);
    return html`<label class="output">Output device
      <select aria-label="Output device" @change=${this.#chooseOutput}>
        ${this._outputs.map((o) => html`<option value=${o.id} ?selected=${o.id === this._output}>${o.label}</option>`)}
        ${known ? nothing : html`<option value=${this._output} selected>Chosen device (not connected)</option>`}
      </select></label>`;
  }

  async #startAudio(): Promise<void> {
    await this.audio.ensure();
    this._info = this.ctl.engine?.info() ?? null;
    this.requestUpdate();
  }

  override render() {
    const s = this._storage;
    const info = this._info;
    return html`
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <div class="cards">
          <div class="panel card">
            <h3>Storage</h3>
            ${s ? html`<dl>
              <dt>Used</dt><dd data-testid="storage-used">${mb(s.usage)} of ${mb(s.quota)}</dd>
              <dt>Persistent</dt><dd>${s.persisted ? 'yes — the browser will not evict it'
                : this._asked ? 'not granted by the browser; installing the app usually grants it'
                : 'not yet — asked after your first save'}</dd>
              <dt>Changes waiting to sync</dt><dd>${this._outbox}</dd>
            </dl>
            <div class="bar" role="meter" aria-label="Storage used" aria-valuemin="0" aria-valuemax=${s.quota || 1}
              aria-valuenow=${s.usage} aria-valuetext=${`${mb(s.usage)} of ${mb(s.quota)}`}>
              <div style=${`width:${Math.max(1, Math.min(100, (s.usage / (s.quota || 1)) * 100))}%`}></div></div>` : html`<p class="muted">Measuring…</p>`}
          </div>
          <div class="panel card">
            <h3>Audio device</h3>
            ${this.#outputPicker()}
            ${info ? html`<dl>
              <dt>Playing on</dt><dd data-testid="playing-on">${this._outputs.find((o) => o.id === info.outputDevice)?.label ?? (info.outputDevice ? 'a chosen device' : 'System default')}</dd>
              <dt>Sample rate</dt><dd>${info.sampleRate} Hz</dd>
              <dt>Output latency</dt><dd>${ms(info.outputLatency)}</dd>
              <dt>Base latency</dt><dd>${ms(info.baseLatency)}</dd>
              <dt>State</dt><dd>${info.state}</dd>
              <dt>Parameter path</dt><dd>${info.sharedMemory ? 'shared memory (SharedArrayBuffer)' : 'messages (no cross-origin isolation)'}</dd>
              <dt>Engine load</dt><dd>${Math.round((this.ctl.engine?.load ?? 0) * 100)}% of the render budget</dd>
            </dl>` : html`<p class="muted">The audio engine starts on Play.</p>
              <button @click=${this.#startAudio}>Start audio</button>`}
            ${this.audio.error ? html`<p class="error">${this.audio.error}</p>` : nothing}
            <p class="muted small">Cross-origin isolated: ${globalThis.crossOriginIsolated ? 'yes' : 'no'}</p>
          </div>
          <div class="panel card"><ob-sync-card .link=${this.sync}></ob-sync-card></div>
          <div class="panel card wide"><ob-midi-card></ob-midi-card></div>
          <div class="panel card">
            <h3>Install</h3>
            ${this.pwa.installed ? html`<p>Installed. Outboard opens from your home screen or dock, offline.</p>`
              : this.pwa.installable ? html`<p>Install Outboard to open it like an app, offline.</p>
                <button class="primary" @click=${() => void this.pwa.install()}>Install app</button>`
              : this.pwa.ios ? html`<p>On iPhone or iPad: tap <strong>Share</strong> <span aria-hidden="true">⎋</span>, then
                <strong>Add to Home Screen</strong>. Outboard then opens full screen and works offline.</p>`
              : html`<p class="muted">Your browser offers installation from its menu (Install app / Add to Home Screen).</p>`}
            <p class="muted small">Offline: ${this.pwa.offlineReady || navigator.serviceWorker?.controller ? 'ready' : 'preparing…'}</p>
          </div>
        </div>
      </section>`;
  }

  static override styles = [base, css`
    :host { display: block; max-width: 1040px; margin: 0 auto; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; }
    .card { padding: 14px 16px; }
    .card.wide { grid-column: 1 / -1; }
    h3 { margin-bottom: 10px; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin: 0 0 10px; }
    dt { color: var(--ob-dim); }
    dd { margin: 0; font-family: var(--ob-mono); font-size: 12px; }
    .bar { height: 6px; border-radius: 3px; background: #0b0d11; border: 1px solid var(--ob-line); overflow: hidden; }
    .bar div { height: 100%; background: var(--ob-accent-2); }
    .small { font-size: 12px; }
    .error { color: #ffb4a8; }
    .output { display: grid; gap: 4px; margin-bottom: 10px; color: var(--ob-dim); }
  `];
}

customElements.define('ob-settings-view', ObSettingsView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-settings-view': ObSettingsView;
  }
}
