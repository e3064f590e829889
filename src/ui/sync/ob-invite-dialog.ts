import { LitElement, css, html, nothing } from 'lit';
import { isLoopbackUrl, type Invite, type InviteLifetime, type InvitePurpose, type InviteRole } from '../../protocol/invites.ts';
import { createInvite, listInvites, revokeInvite } from '../../sync/index.ts';
import { base } from '../styles.ts';

/** The lifetimes an owner picks from, as the dialog says them. */
const LIFETIMES: readonly { value: InviteLifetime; label: string }[] = [
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '1w', label: '1 week' },
  { value: 'until_revoked', label: 'Until I revoke it' },
];

const until = (invite: Invite): string => (invite.expires_at === null ? 'until revoked' : `until ${new Date(invite.expires_at).toLocaleString()}`);

/**
 * `<ob-invite-dialog>`: mints an invite (editor or viewer, for an hour, a
 * day, a week or until revoked) for the open session and shows its link and
 * a QR code (drawn here, no network), so a tablet joins by scanning; lists
 * the session's invites with a Revoke button each (a revoked invite's devices
 * are disconnected and told why). Closing dispatches `close`.
 */
export class ObInviteDialog extends LitElement {
  static override properties = {
    sessionId: { attribute: false },
    token: { attribute: false },
    relay: { attribute: false },
    _role: { state: true }, _purpose: { state: true }, _lifetime: { state: true }, _invite: { state: true }, _qr: { state: true },
    _error: { state: true }, _busy: { state: true }, _invites: { state: true }, _name: { state: true }, _url: { state: true },
  };
  sessionId = '';
  token = '';
  /** The relay's origin. */
  relay = '';
  _role: InviteRole = 'editor';
  /** What the link is for: a control surface for this device (opens with audio off) or a collaborator's own device. */
  _purpose: InvitePurpose = 'surface';
  _lifetime: InviteLifetime = '1d';
  _invite: Invite | null = null;
  _qr = '';
  _error = '';
  _busy = false;
  /** The session's invites (null until loaded). */
  _invites: Invite[] | null = null;
  /** What the others will see for the invited device ("Tablet", "Sam"). */
  _name = '';
  /** The link shown and encoded in the QR code: the relay's, or the same link on a LAN address. */
  _url = '';

  get #http() {
    return { base: this.relay, token: this.token };
  }

  async #create(): Promise<void> {
    this._busy = true;
    this._error = '';
    const name = this._name.trim();
    const res = await createInvite(this.#http, this.sessionId, { role: this._role, lifetime: this._lifetime, purpose: this._purpose, ...(name ? { name } : {}) });
    this._busy = false;
    if (!res.ok) {
      this._error = `${res.error.code}: ${res.error.message}`;
      return;
    }
    this._invite = res.value;
    void this.#load();
    // A link to 127.0.0.1 is useless on a tablet: show the one on the LAN when the relay listens there.
    await this.#show(res.value.lan_urls?.[0] ?? res.value.url ?? '');
  }

  async #show(url: string): Promise<void> {
    this._url = url;
    // Loaded on first use: the QR encoder is not part of the app's first load.
    const { default: QRCode } = await import('qrcode');
    this._qr = await QRCode.toDataURL(url, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
  }

  /** What to tell the owner about where the link points (null: another device can open it). */
  #reach(inv: Invite) {
    if (!inv.url || !isLoopbackUrl(inv.url)) return null;
    const lan = inv.lan_urls ?? [];
    if (lan.length === 0) {
      return html`<div class="warn" role="note"><strong>Another device cannot open this link:</strong> it points at
        ${new URL(inv.url).host}, this computer only, and the relay listens on this computer only. Start it with
        <code>HOST=0.0.0.0</code> so it listens on your network (or set <code>OUTBOARD_PUBLIC_URL</code> to an address the
        tablet can reach), open Outboard through that address, and make the link again.</div>`;
    }
    return html`<div class="warn" role="note">The relay was opened as ${new URL(inv.url).host}, which only this computer
      can reach; the link below uses its address on your network instead.
      ${lan.length > 1 ? html`<label>Network address
        <select aria-label="Network address" @change=${(e: Event) => void this.#show((e.target as HTMLSelectElement).value)}>
          ${lan.map((u) => html`<option value=${u} ?selected=${u === this._url}>${new URL(u).host}</option>`)}
        </select></label>` : nothing}</div>`;
  }

  async #load(): Promise<void> {
    const res = await listInvites(this.#http, this.sessionId);
    if (res.ok) this._invites = res.value;
    else this._error = `${res.error.code}: ${res.error.message}`;
  }

  async #revoke(invite: Invite): Promise<void> {
    const res = await revokeInvite(this.#http, this.sessionId, invite.id);
    if (!res.ok) {
      this._error = `${res.error.code}: ${res.error.message}`;
      return;
    }
    if (this._invite?.id === invite.id) this._invite = null;
    await this.#load();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  protected override firstUpdated(): void {
    // Modal in the top layer: above the sticky header (whose backdrop filter would otherwise confine a fixed
    // overlay to its own box), with focus moved in and the page behind inert.
    this.renderRoot.querySelector('dialog')?.showModal();
    this.renderRoot.querySelector('select')?.focus();
  }

  #close(): void {
    this.dispatchEvent(new Event('close'));
  }

  override render() {
    const inv = this._invite;
    const standing = (this._invites ?? []).filter((i) => i.revoked_at === null && (i.expires_at === null || Date.parse(i.expires_at) > Date.now()));
    return html`
      <dialog class="card" aria-labelledby="invite-title" @cancel=${(e: Event) => {
        e.preventDefault();
        this.#close();
      }}>
        <header><h2 id="invite-title">Invite a device</h2>
          <button class="ghost" aria-label="Close invite" @click=${() => this.#close()}>✕</button></header>
        <p class="muted">Open the link (or scan the code) on a tablet to use it as a control surface for this session.</p>
        <div class="row">
          <label>For
            <select aria-label="Invite purpose" .value=${this._purpose} @change=${(e: Event) => {
              this._purpose = (e.target as HTMLSelectElement).value as InvitePurpose;
              this._invite = null;
            }}>
              <option value="surface">A control surface for this device (audio stays here)</option>
              <option value="device">A collaborator's own device (plays audio)</option>
            </select>
          </label>
          <label>Role
            <select aria-label="Invite role" .value=${this._role} @change=${(e: Event) => {
              this._role = (e.target as HTMLSelectElement).value as InviteRole;
              this._invite = null;
            }}>
              <option value="editor">Editor: can change everything</option>
              <option value="viewer">Viewer: sees, changes nothing</option>
            </select>
          </label>
          <label>Link works for
            <select aria-label="Invite lifetime" .value=${this._lifetime} @change=${(e: Event) => {
              this._lifetime = (e.target as HTMLSelectElement).value as InviteLifetime;
              this._invite = null;
            }}>
              ${LIFETIMES.map((l) => html`<option value=${l.value} ?selected=${l.value === this._lifetime}>${l.label}</option>`)}
            </select>
          </label>
          <label>Name the others see
            <input aria-label="Name of the invited device" placeholder="Tablet, Sam…" maxlength="40" .value=${this._name}
              @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)} />
          </label>
          <button class="primary" ?disabled=${this._busy} @click=${() => void this.#create()}>Create link</button>
        </div>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${inv ? html`
          ${this.#reach(inv)}
          <img class="qr" src=${this._qr} width="240" height="240" alt=${`QR code of the ${inv.role} invite link`} />
          <label class="link">Invite link (${inv.role}, ${until(inv)})
            <input readonly aria-label="Invite link" .value=${this._url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          </label>
          <button @click=${() => void navigator.clipboard?.writeText(this._url)}>Copy link</button>` : nothing}
        <section aria-labelledby="invites-title">
          <h3 id="invites-title">Links that work now</h3>
          ${this._invites === null ? html`<p class="muted">Loading…</p>` : standing.length === 0 ? html`<p class="muted">None.</p>` : html`
            <ul class="invites">${standing.map((i) => html`<li>
              <span>${i.role} · ${until(i)}</span>
              <button aria-label=${`Revoke the ${i.role} link made ${new Date(i.created_at).toLocaleString()}`} @click=${() => void this.#revoke(i)}>Revoke</button>
            </li>`)}</ul>`}
        </section>
      </dialog>`;
  }

  static override styles = [base, css`
    .card::backdrop { background: #0008; }
    .card { color: inherit; background: var(--ob-panel); border: 1px solid var(--ob-line); border-radius: var(--ob-radius);
      padding: 18px 20px; width: min(460px, 92vw); max-height: 92vh; overflow: auto; gap: 12px; }
    .card[open] { display: grid; }
    h2 { margin: 0; font-size: 17px; }
    h3 { margin: 0 0 6px; font-size: 13px; }
    p { margin: 0; }
    .row { display: flex; gap: 10px; align-items: flex-end; flex-wrap: wrap; }
    label { display: grid; gap: 4px; font-size: 12px; color: var(--ob-dim); }
    .qr { justify-self: center; background: #fff; border-radius: 6px; image-rendering: pixelated; }
    .link input { width: 100%; font-family: ui-monospace, monospace; font-size: 12px; }
    .invites { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
    .invites li { display: flex; justify-content: space-between; align-items: center; gap: 8px; font-size: 12px; }
    .error { color: #ffb4ab; }
    .warn { background: #3a2a0a; border: 1px solid #7a5a12; color: #ffd58a; border-radius: 6px; padding: 8px 10px; font-size: 12px; display: grid; gap: 6px; }
    .warn code { color: #fff1c9; }
    header { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
  `];
}

customElements.define('ob-invite-dialog', ObInviteDialog);

declare global {
  interface HTMLElementTagNameMap {
    'ob-invite-dialog': ObInviteDialog;
  }
}
