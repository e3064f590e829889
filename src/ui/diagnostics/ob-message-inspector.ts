import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { LOG_CAPACITY, matchesFilter, type EntryFilter, type SyncStatus, type WireEntry } from '../../sync/index.ts';
import { download } from '../sessions/session-files.ts';
import type { SyncLink } from '../../app/sync-link.ts';
import { base } from '../styles.ts';
import { LinkListener } from '../sync/link-listener.ts';
import { statusText } from '../sync/status-text.ts';
import { formatMs } from './format.ts';
import { REFRESH_MS, Ticker } from './ticker.ts';

/** Characters of a frame shown in its row; the export has all of it. */
const FRAME_PREVIEW = 160;
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });

/** The filter's fields, with their labels and what an entry holds for each. */
const FILTERS = [
  { key: 'type', label: 'Type', all: 'All types', of: (e: WireEntry) => e.type },
  { key: 'user', label: 'User', all: 'All users', of: (e: WireEntry) => e.user },
  { key: 'sessionId', label: 'Session', all: 'All sessions', of: (e: WireEntry) => e.sessionId },
] as const;

/** The distinct values of one field, sorted, for a filter's choices (the chosen one stays, even once it left the log). */
function choices(entries: readonly WireEntry[], of: (e: WireEntry) => string | null, chosen: string | undefined): string[] {
  const seen = new Set<string>(chosen ? [chosen] : []);
  for (const e of entries) {
    const v = of(e);
    if (v !== null) seen.add(v);
  }
  return [...seen].sort();
}

/** What an empty list means, given the connection. */
function emptyText(status: SyncStatus | null, kept: number, sessionOpen: boolean): string {
  if (kept) return 'No messages match these filters.';
  if (!sessionOpen) return 'No session is open. Messages to and from the relay show here while an open session syncs.';
  if (!status) {
    return 'This session is not connected to a relay: this device has no relay link (token) for it. '
      + 'Messages to and from the relay show here once it syncs: open a link from the relay (an invite, or the admin link) on this device.';
  }
  if (status.state === 'offline') return 'Offline: the relay cannot be reached. Messages show here once it answers.';
  return 'No messages yet.';
}

/**
 * `<ob-message-inspector>`: the last {@link LOG_CAPACITY} frames to and from
 * the relay, newest first, filtered by type, user and session; Pause freezes
 * the list (recording goes on), Export JSON saves the rows shown.
 */
export class ObMessageInspector extends LitElement {
  static override properties = {
    link: { attribute: false },
    _entries: { state: true }, _filter: { state: true }, _paused: { state: true },
  };
  link: SyncLink | null = null;
  /** Every kept frame, newest first, as of the last refresh (frozen while paused). */
  _entries: WireEntry[] = [];
  _filter: EntryFilter = {};
  _paused = false;
  /** The log's total at the last refresh: the list is rebuilt only when frames came. */
  #seen = -1;
  readonly #listener = new LinkListener(this, () => this.requestUpdate());
  readonly #ticker = new Ticker(this, REFRESH_MS, () => this.#refresh());

  #refresh(): void {
    const log = this.link?.diagnostics;
    if (!log || this._paused || log.total === this.#seen) return;
    this.#seen = log.total;
    this._entries = log.entries();
  }

  #togglePause(): void {
    this._paused = !this._paused;
    this.#refresh();
  }

  #setFilter(key: keyof EntryFilter, value: string): void {
    this._filter = { ...this._filter, [key]: value };
  }

  #export(shown: readonly WireEntry[]): void {
    const now = new Date();
    const file = {
      format: 'outboard.messages/1', exported_at: now.toISOString(), filter: this._filter,
      round_trips: this.link?.diagnostics.roundTrips ?? null, messages: shown,
    };
    download(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }),
      `outboard-messages-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  }

  #row(e: WireEntry): TemplateResult {
    return html`<tr>
      <td>${time.format(e.at)}</td>
      <td>${e.direction === 'out' ? html`<span aria-hidden="true">↑ </span>Out` : html`<span aria-hidden="true">↓ </span>In`}</td>
      <td>${e.type}</td>
      <td>${e.user ?? 'relay'}</td>
      <td>${e.sessionId}</td>
      <td class="num">${e.size}</td>
      <td class="num">${e.rttMs === null ? '' : formatMs(e.rttMs)}</td>
      <td><code>${e.raw.length > FRAME_PREVIEW ? `${e.raw.slice(0, FRAME_PREVIEW)}…` : e.raw}</code></td>
    </tr>`;
  }

  override render() {
    const entries = this._entries;
    const filter = this._filter;
    const shown = entries.filter((e) => matchesFilter(e, filter));
    const status = this.link?.status ?? null;
    return html`
      <div class="row head">
        <h3 id="messages-title">Messages</h3>
        <span class="muted">${shown.length} shown · the last ${LOG_CAPACITY} kept</span>
        <span class="spacer"></span>
        <span class="muted">Relay: ${statusText(status).text}</span>
      </div>
      <div class="row tools">
        ${FILTERS.map(({ key, label, all, of }) => html`<span class="filter"><label for=${`filter-${key}`}>${label}</label>
          <select id=${`filter-${key}`} @change=${(ev: Event) => this.#setFilter(key, (ev.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!filter[key]}>${all}</option>
            ${choices(entries, of, filter[key]).map((v) => html`<option value=${v} ?selected=${filter[key] === v}>${v}</option>`)}
          </select></span>`)}
        <span class="spacer"></span>
        <button aria-pressed=${this._paused ? 'true' : 'false'} @click=${() => this.#togglePause()}>Pause</button>
        <button ?disabled=${!shown.length} @click=${() => this.#export(shown)}>Export JSON</button>
      </div>
      ${this._paused ? html`<p class="muted">Paused: new messages are recorded but not shown.</p>` : nothing}
      ${shown.length ? html`
        <div class="scroll" role="region" aria-labelledby="messages-title" tabindex="0">
          <table>
            <caption class="visually-hidden">Messages to and from the relay, newest first</caption>
            <thead><tr>
              <th scope="col">Time</th><th scope="col">Direction</th><th scope="col">Type</th><th scope="col">User</th>
              <th scope="col">Session</th><th scope="col">Size</th><th scope="col">Round trip</th><th scope="col">Frame</th>
            </tr></thead>
            <tbody>${repeat(shown, (e) => e.n, (e) => this.#row(e))}</tbody>
          </table>
        </div>` : html`<p class="empty">${emptyText(status, entries.length, (this.link?.sessionId ?? null) !== null)}</p>`}`;
  }

  static override styles = [base, css`
    :host { display: block; min-width: 0; }
    .head { margin-bottom: 10px; }
    .tools { margin-bottom: 10px; }
    .filter { display: inline-flex; align-items: center; gap: 6px; }
    label { color: var(--ob-dim); }
    select { color: var(--ob-text); max-width: 22ch; }
    button[aria-pressed=true] { background: var(--ob-accent); color: #1b1300; border-color: var(--ob-accent); }
    .scroll { overflow: auto; max-height: 65vh; border: 1px solid var(--ob-line); border-radius: 6px; }
    .scroll:focus-visible { outline: 2px solid var(--ob-accent); outline-offset: 1px; }
    table { border-collapse: collapse; width: 100%; font-size: 12px; }
    th { position: sticky; top: 0; background: var(--ob-panel); text-align: left; font-weight: 600; color: var(--ob-dim); }
    th, td { padding: 4px 8px; border-bottom: 1px solid var(--ob-line); white-space: nowrap; vertical-align: top; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    code { font-family: var(--ob-mono); font-size: 11px; color: var(--ob-dim); }
  `];
}

customElements.define('ob-message-inspector', ObMessageInspector);

declare global {
  interface HTMLElementTagNameMap {
    'ob-message-inspector': ObMessageInspector;
  }
}
