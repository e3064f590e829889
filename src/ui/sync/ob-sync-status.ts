import { LitElement, css, html, nothing } from 'lit';
import { canPublish } from '../../sync/index.ts';
import type { SyncLink } from '../../app/sync-link.ts';
import { base } from '../styles.ts';
import { LinkListener } from './link-listener.ts';
import { canRetry, initials, statusText } from './status-text.ts';
import './ob-invite-dialog.ts';

const LAG_MS = 700;

/**
 * `<ob-sync-status>`: the header's connection chip (offline / connecting /
 * synced / N changes waiting / stuck, with "Retry now" when the relay is not
 * answering), who else is here, and — for an owner or admin
 * connected to the relay — the Invite button.
 */
export class ObSyncStatus extends LitElement {
  static override properties = {
    link: { attribute: false },
    _inviting: { state: true },
    _lagging: { state: true },
  };
  link: SyncLink | null = null;
  _inviting = false;
  /** While connected, acks normally come within milliseconds: "waiting" shows only when they take longer. */
  #lagTimer: ReturnType<typeof setTimeout> | null = null;
  _lagging = false;
  #onChange = () => {
    const s = this.link?.status;
    const waiting = s?.state === 'synced' && s.waiting > 0;
    if (!waiting) {
      if (this.#lagTimer !== null) clearTimeout(this.#lagTimer);
      this.#lagTimer = null;
      this._lagging = false;
    } else if (this.#lagTimer === null && !this._lagging) {
      this.#lagTimer = setTimeout(() => {
        this.#lagTimer = null;
        this._lagging = true;
      }, LAG_MS);
    }
    this.requestUpdate();
  };
  readonly #listener = new LinkListener(this, this.#onChange);

  override render() {
    const raw = this.link?.status ?? null;
    const status = raw?.state === 'synced' && !this._lagging ? { ...raw, waiting: 0 } : raw;
    const { text, title, tone } = statusText(status);
    const members = this.link?.members ?? [];
    const cred = this.link?.credential;
    const canInvite = status?.state === 'synced' && canPublish(status.role) && cred;
    return html`
      ${members.length ? html`<ul class="members" aria-label="Also here">
        ${members.map((m) => html`<li style=${`--c:${m.color}`} title=${m.touching ? `${m.name} (moving a control)` : m.name}>
          <span aria-hidden="true">${initials(m.name)}</span><span class="sr">${m.name}</span></li>`)}</ul>` : nothing}
      <span class="status ${tone}" role="status" title=${title}><span class="dot" aria-hidden="true"></span>${text}</span>
      ${canRetry(raw) ? html`<button class="retry" @click=${() => this.link?.retryNow()}>Retry now</button>` : nothing}
      ${canInvite ? html`<button class="invite" @click=${() => (this._inviting = true)}>Invite</button>` : nothing}
      ${this._inviting && cred && status ? html`<ob-invite-dialog .sessionId=${cred.claims.sid === '*' ? this.#sessionId() : cred.claims.sid}
        .token=${cred.token} .relay=${location.origin} @close=${() => (this._inviting = false)}></ob-invite-dialog>` : nothing}`;
  }

  #sessionId(): string {
    return this.link?.sessionId ?? '';
  }

  static override styles = [base, css`
    :host { display: inline-flex; align-items: center; gap: 8px; }
    .status { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--ob-dim); background: #0b0d11;
      border: 1px solid var(--ob-line); border-radius: 999px; padding: 3px 10px; white-space: nowrap; }
    .status .dot { width: 7px; height: 7px; border-radius: 50%; background: #8791a3; }
    .status.ok .dot { background: #5ee3a1; }
    .status.busy .dot { background: #f5d76e; }
    .status.offline .dot { background: #ff9f5a; }
    .status.error { color: #ffb4ab; } .status.error .dot { background: #ff6b5e; }
    .members { display: flex; gap: 0; margin: 0; padding: 0; list-style: none; }
    .members li { width: 24px; height: 24px; border-radius: 50%; display: grid; place-items: center; font-size: 10px; font-weight: 700;
      color: #10131a; background: var(--c); margin-left: -4px; border: 2px solid #12151b; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .invite, .retry { padding: 3px 10px; min-height: 26px; }
  `];
}

customElements.define('ob-sync-status', ObSyncStatus);

declare global {
  interface HTMLElementTagNameMap {
    'ob-sync-status': ObSyncStatus;
  }
}
