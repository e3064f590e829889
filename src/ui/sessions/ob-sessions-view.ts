import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { surface } from '../../app/surface-state.ts';
import type { SessionListing } from '../../protocol/session-listing.ts';
import type { SessionSummary, SkippedRecord } from '../../store/index.ts';
import { focusField } from '../focus.ts';
import { sessionTitle, UNTITLED_SESSION } from './session-files.ts';
import { base } from '../styles.ts';
import { Watch } from '../watch.ts';

/** A request from the sessions list to the app. */
export class SessionActionEvent extends Event {
  static readonly type = 'ob-session-action' as const;
  constructor(
    readonly action: 'create' | 'open' | 'open-relay' | 'rename' | 'duplicate' | 'delete' | 'export' | 'import',
    readonly id?: string, readonly name?: string, readonly file?: File,
  ) {
    super(SessionActionEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ob-session-action': SessionActionEvent;
  }
}

const when = (ms: number) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

/**
 * `<ob-sessions-view>`: the sessions on this device: create, open, rename,
 * duplicate, delete, and import/export as JSON files.
 */
export class ObSessionsView extends LitElement {
  static override properties = {
    sessions: { attribute: false }, skipped: { attribute: false }, currentId: { attribute: false }, relay: { attribute: false }, _renaming: { state: true },
  };
  sessions: SessionSummary[] = [];
  skipped: SkippedRecord[] = [];
  currentId: string | null = null;
  /** The relay's sessions this device's token may see: a list, why it could not be read, or null (no relay-wide token). */
  relay: { sessions: SessionListing[] } | { error: string } | null = null;
  _renaming: string | null = null;
  readonly #watch = new Watch(this, surface);

  protected override updated(changed: PropertyValues): void {
    // `autofocus` does nothing inside a shadow root: the name field is focused from here.
    if (changed.has('_renaming') && this._renaming !== null) focusField(this.renderRoot, 'form.rename input');
  }

  /** A viewer cannot rename the session shared with them (the relay would refuse it). */
  #canRename(id: string): boolean {
    return !(surface.readOnly && id === this.currentId);
  }

  #emit(action: SessionActionEvent['action'], id?: string, name?: string, file?: File): void {
    this.dispatchEvent(new SessionActionEvent(action, id, name, file));
  }

  #create(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input');
    this.#emit('create', undefined, input?.value.trim() || UNTITLED_SESSION);
    if (input) input.value = '';
  }

  #rename(e: Event, id: string): void {
    e.preventDefault();
    const name = (e.target as HTMLFormElement).querySelector('input')?.value.trim();
    this._renaming = null;
    if (name) this.#emit('rename', id, name);
  }

  #import(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) this.#emit('import', undefined, undefined, file);
    input.value = '';
  }

  override render() {
    return html`
      <section aria-labelledby="sessions-title">
        <div class="row head">
          <h2 id="sessions-title">Sessions on this device</h2>
          <span class="spacer"></span>
          <label class="import"><input type="file" accept=".json,application/json" class="visually-hidden" @change=${this.#import} />
            <span class="btn">Import JSON…</span></label>
        </div>
        <form class="new row panel" @submit=${this.#create}>
          <input aria-label="New session name" placeholder="New session name" maxlength="200" />
          <button class="primary" type="submit">New session</button>
        </form>
        ${this.skipped.length ? html`<p class="warn" role="alert">${this.skipped.length} saved record${this.skipped.length > 1 ? 's' : ''} could not be read and ${this.skipped.length > 1 ? 'were' : 'was'} skipped:
          ${this.skipped.map((s) => html`<code>${s.key}</code> (${s.reason}) `)}</p>` : nothing}
        ${this.sessions.length === 0 ? html`<div class="empty">No sessions yet. Name one above and press New session.</div>` : nothing}
        ${this.#relayList()}
        <ul class="list">
          ${this.sessions.map((s) => ({ ...s, title: sessionTitle(s.name) })).map((s) => html`<li class="panel ${s.id === this.currentId ? 'current' : ''}">
            ${this._renaming === s.id
              ? html`<form class="rename row grow" @submit=${(e: Event) => this.#rename(e, s.id)}
                    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this._renaming = null)}>
                  <input aria-label=${`New name for ${s.title}`} .value=${s.name} maxlength="200" />
                  <button class="primary" type="submit">Rename</button>
                  <button class="ghost" type="button" @click=${() => (this._renaming = null)}>Cancel</button></form>`
              : html`<button class="open ghost" @click=${() => this.#emit('open', s.id)} aria-label=${`Open ${s.title}`}>
                  <strong>${s.title}</strong>
                  <span class="muted">${s.tracks} track${s.tracks === 1 ? '' : 's'} · ${when(s.updated_at)}</span></button>`}
            ${this._renaming === s.id ? nothing : html`<div class="actions row">
              ${this.#canRename(s.id) ? html`<button class="ghost" @click=${() => (this._renaming = s.id)} aria-label=${`Rename ${s.title}`}>Rename</button>` : nothing}
              <button class="ghost" @click=${() => this.#emit('duplicate', s.id)} aria-label=${`Duplicate ${s.title}`}>Duplicate</button>
              <button class="ghost" @click=${() => this.#emit('export', s.id)} aria-label=${`Export ${s.title} as JSON`}>Export</button>
              <button class="ghost danger" @click=${() => this.#emit('delete', s.id)} aria-label=${`Delete ${s.title}`}>Delete</button>
            </div>`}
          </li>`)}
        </ul>
      </section>`;
  }

  #relayList() {
    const relay = this.relay;
    if (!relay) return nothing;
    if ('error' in relay) return html`<p class="warn" role="alert">The relay's sessions could not be listed: ${relay.error}</p>`;
    const here = new Set(this.sessions.map((s) => s.id));
    const there = relay.sessions.filter((s) => !here.has(s.id));
    return html`<section aria-labelledby="relay-title" class="relay">
      <h3 id="relay-title">On the relay, not on this device yet</h3>
      ${there.length === 0 ? html`<p class="muted">None: every session you can open on the relay is here.</p>` : html`<ul class="list">
        ${there.map((s) => html`<li class="panel"><button class="open ghost" aria-label=${`Open ${sessionTitle(s.name)} from the relay`}
          @click=${() => this.#emit('open-relay', s.id)}><strong>${sessionTitle(s.name)}</strong>
          <span class="muted">seq ${s.seq} · ${s.members} connected · ${when(Date.parse(s.updated_at))}</span></button></li>`)}</ul>`}
    </section>`;
  }

  static override styles = [base, css`
    :host { display: block; max-width: 880px; margin: 0 auto; }
    .head { margin-bottom: 12px; }
    .head h2 { margin: 0; }
    .import .btn { display: inline-block; background: var(--ob-raised); border: 1px solid var(--ob-line); border-radius: 6px; padding: 6px 12px; cursor: pointer; }
    .import:focus-within .btn { outline: 2px solid var(--ob-accent); }
    .new { padding: 12px; margin-bottom: 16px; }
    .new input { flex: 1; min-width: 160px; }
    .warn { background: #3a2a0a; border: 1px solid #7a5a12; color: #ffd58a; border-radius: 6px; padding: 8px 12px; }
    .list { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
    .list li { display: flex; align-items: center; gap: 8px; padding: 8px; flex-wrap: wrap; }
    .list li.current { border-color: #6b4d12; }
    .open { flex: 1; display: flex; flex-direction: column; align-items: flex-start; text-align: left; gap: 2px; min-width: 180px; }
    .open strong { color: var(--ob-text); font-size: 14px; }
    .grow { flex: 1; }
    .grow input { flex: 1; min-width: 140px; }
    .actions { gap: 2px; }
    .relay { margin-bottom: 16px; }
    .relay h3 { margin: 0 0 8px; }
  `];
}

customElements.define('ob-sessions-view', ObSessionsView);

declare global {
  interface HTMLElementTagNameMap {
    'ob-sessions-view': ObSessionsView;
  }
}
