import { LitElement, css, html } from 'lit';
import type { SessionController } from '../../app/session-controller.ts';
import type { SyncLink } from '../../app/sync-link.ts';
import { base } from '../styles.ts';
import './ob-message-inspector.ts';
import './ob-perf-panel.ts';

/**
 * `<ob-diagnostics-view>`: for a musician debugging a rig (UX.md,
 * Diagnostics): the performance panel and the message inspector. Loaded on
 * first use; both parts poll only while the view is shown.
 */
export class ObDiagnosticsView extends LitElement {
  static override properties = { link: { attribute: false }, ctl: { attribute: false } };
  /** The relay link, whose log the view reads. */
  link: SyncLink | null = null;
  ctl!: SessionController;

  override render() {
    return html`
      <section aria-labelledby="diagnostics-title">
        <h2 id="diagnostics-title">Diagnostics</h2>
        <div class="layout">
          <div class="panel card"><ob-perf-panel .link=${this.link} .ctl=${this.ctl}></ob-perf-panel></div>
          <div class="panel card"><ob-message-inspector .link=${this.link}></ob-message-inspector></div>
        </div>
      </section>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .layout { display: grid; grid-template-columns: minmax(240px, 320px) minmax(0, 1fr); gap: 12px; align-items: start; }
    .card { padding: 14px 16px; min-width: 0; }
    @media (max-width: 900px) {
      .layout { grid-template-columns: minmax(0, 1fr); }
    }
  `];
}

customElements.define('ob-diagnostics-view', ObDiagnosticsView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-diagnostics-view': ObDiagnosticsView;
  }
}
