import { LitElement, css, html, nothing } from 'lit';
import type { Role } from '../../protocol/messages.ts';
import { createInvite, type Invite } from '../../sync/index.ts';
import { base } from '../styles.ts';

/**
 * `<ob-invite-dialog>`: mints an invite (editor or viewer) for the open
 * session and shows its link and a QR code (drawn here, no network), so a
 * tablet joins by scanning. Closing dispatches `close`.
 */
export class ObInviteDialog extends LitElement {
  static override properties = {
    sessionId: { attribute: false },
    token: { attribute: false },
    relay: { attribute: false },
    _role: { state: true }, _invite: { state: true }, _qr: { state: true }, _error: { state: true }, _busy: { state: true },
  };
  sessionId = '';
  token = '';
  /** The relay's origin. */
  relay = '';
  _role: Role = 'editor';
  _invite: Invite | null = null;
  _qr = '';
  _error = '';
  _busy = false;

  async #create(): Promise<void> {
    this._busy = true;
    this._error = '';
    const res = await createInvite({ base: this.relay, token: this.token }, this.sessionId, this._role);
    this._busy = false;
    if (!res.ok) {
      this._error = `${res.error.code}: ${res.error.message}`;
      return;
    }
    this._invite = res.value;
    // Loaded on first use: the QR encoder is not part of the app's first load.
    const { default: QRCode } = await import('qrcode');
    this._qr = await QRCode.toDataURL(res.value.url, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
  }

  protected override firstUpdated(): void {
    // Keyboard and screen-reader users land in the dialog, not behind it.
    this.renderRoot.querySelector('select')?.focus();
  }

  #close(): void {
    this.dispatchEvent(new Event('close'));
  }

  override render() {
    const inv = this._invite;
    return html`
      <div class="card" role="dialog" aria-modal="false" aria-labelledby="invite-title"
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#close()}>
        <h2 id="invite-title">Invite a device</h2>
        <p class="muted">Open the link (or scan the code) on a tablet to use it as a control surface for this session.</p>
        <div class="row">
          <label>Role
            <select aria-label="Invite role" .value=${this._role} @change=${(e: Event) => {
              this._role = (e.target as HTMLSelectElement).value as Role;
              this._invite = null;
            }}>
              <option value="editor">Editor: can change everything</option>
              <option value="viewer">Viewer: sees, changes nothing</option>
            </select>
          </label>
          <button class="primary" ?disabled=${this._busy} @click=${() => void this.#create()}>Create link</button>
        </div>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${inv ? html`
          <img class="qr" src=${this._qr} width="240" height="240" alt=${`QR code of the ${inv.role} invite link`} />
          <label class="link">Invite link (${inv.role}, until ${new Date(inv.expires_at).toLocaleString()})
            <input readonly aria-label="Invite link" .value=${inv.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          </label>
          <button @click=${() => void navigator.clipboard?.writeText(inv.url)}>Copy link</button>` : nothing}
        <button class="ghost close" aria-label="Close invite" @click=${() => this.#close()}>✕</button>
      </div>`;
  }

  static override styles = [base, css`
    :host { position: fixed; inset: 0; display: grid; place-items: center; background: #0008; z-index: 50; }
    .card { position: relative; background: var(--ob-panel); border: 1px solid var(--ob-line); border-radius: var(--ob-radius);
      padding: 18px 20px; width: min(420px, 92vw); display: grid; gap: 12px; }
    h2 { margin: 0; font-size: 17px; }
    p { margin: 0; }
    .row { display: flex; gap: 10px; align-items: flex-end; flex-wrap: wrap; }
    label { display: grid; gap: 4px; font-size: 12px; color: var(--ob-dim); }
    .qr { justify-self: center; background: #fff; border-radius: 6px; image-rendering: pixelated; }
    .link input { width: 100%; font-family: ui-monospace, monospace; font-size: 12px; }
    .error { color: #ffb4ab; }
    .close { position: absolute; top: 8px; right: 8px; }
  `];
}

customElements.define('ob-invite-dialog', ObInviteDialog);

declare global {
  interface HTMLElementTagNameMap {
    'ob-invite-dialog': ObInviteDialog;
  }
}
