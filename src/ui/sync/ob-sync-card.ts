import { LitElement, css, html } from 'lit';
import type { SyncLink } from '../../app/sync-link.ts';
import { base } from '../styles.ts';
import { LinkListener } from './link-listener.ts';
import { statusText } from './status-text.ts';

/**
 * `<ob-sync-card>`: the Settings card about the relay: where it is, who this
 * device is there, until when its token is valid, and how the connection is
 * doing (round trip, drops) — for a musician debugging a rig.
 */
export class ObSyncCard extends LitElement {
  static override properties = { link: { attribute: false } };
  link: SyncLink | null = null;
  readonly #listener = new LinkListener(this, () => this.requestUpdate());

  override render() {
    const link = this.link;
    const status = link?.status ?? null;
    const cred = link?.credential;
    if (!link || !status || !cred) {
      return html`<h3>Sync</h3><p class="muted">This session is not shared: this device has no relay link (token) for it.
        Open a link from the relay on this device (an invite, or the admin link) to sync it.</p>`;
    }
    const { rttMs, drops, stuck } = link.health;
    return html`
      <h3>Sync</h3>
      <dl>
        <dt>Relay</dt><dd>${location.origin}</dd>
        <dt>Status</dt><dd>${statusText(status).text}</dd>
        <dt>You are</dt><dd>${link.name ? `${link.name} · ` : ''}${status.userId} (${status.role})</dd>
        <dt>Token valid until</dt><dd>${new Date(cred.claims.exp * 1000).toLocaleString()}</dd>
        <dt>Round trip</dt><dd>${rttMs === null ? '—' : `${rttMs} ms`}</dd>
        <dt>Connections lost</dt><dd>${drops}</dd>
        <dt>Stuck changes</dt><dd data-testid="sync-stuck">${stuck === 0 ? 'none' : `${stuck} unconfirmed for over 5 s (retrying)`}</dd>
        <dt>Others here</dt><dd>${link.members.map((m) => m.name).join(', ') || 'nobody'}</dd>
      </dl>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    h3 { margin-bottom: 10px; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin: 0; }
    dt { color: var(--ob-dim); }
    dd { margin: 0; font-family: var(--ob-mono); font-size: 12px; overflow-wrap: anywhere; }
  `];
}

customElements.define('ob-sync-card', ObSyncCard);

declare global {
  interface HTMLElementTagNameMap {
    'ob-sync-card': ObSyncCard;
  }
}
