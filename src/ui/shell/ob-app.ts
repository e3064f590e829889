import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { SessionDocument } from '../../protocol/session.ts';
import type { SessionListing } from '../../protocol/session-listing.ts';
import { isQuotaError, type LocalStore, type SessionSummary, type SkippedRecord } from '../../store/index.ts';
import { NavigateEvent, VIEWS, type ViewName } from '../events.ts';
import type { PwaState } from '../pwa/pwa-state.ts';
import type { SessionActionEvent } from '../sessions/ob-sessions-view.ts';
import type { AudioSession } from '../../app/audio-session.ts';
import type { PresetLibrary } from '../../app/preset-library.ts';
import type { SessionController } from '../../app/session-controller.ts';
import type { SyncLink } from '../../app/sync-link.ts';
import type { TabLink } from '../../app/tab-link.ts';
import { base } from '../styles.ts';
import { parseRoute, routeHash, type Route } from './routes.ts';
import { runSessionAction } from './session-actions.ts';
import { sessionTitle } from '../sessions/session-files.ts';
import { shellStyles } from './shell-styles.ts';
import '../mixer/ob-mixer-view.ts';
import '../surface/ob-surface-view.ts';
import '../rack/ob-rack-view.ts';
import '../presets/ob-presets-view.ts';
import '../settings/ob-settings-view.ts';
import '../sessions/ob-sessions-view.ts';
import '../transport/ob-transport.ts';
import '../pwa/ob-pwa-prompts.ts';
import '../sync/ob-sync-status.ts';
import { midi } from '../../app/midi/midi-control.ts';
import { Watch, WatchDoc } from '../watch.ts';

const LABELS: Record<ViewName, string> = {
  sessions: 'Sessions', mixer: 'Mixer', surface: 'Surface', rack: 'Rack', presets: 'Presets', settings: 'Settings', diagnostics: 'Diagnostics',
};
const LAST_SESSION = 'last_session';
/** Views that show the open session; the others work with none open. */
const NEEDS_SESSION: ReadonlySet<ViewName> = new Set(['mixer', 'surface', 'rack']);
/** Fetched the first time it is shown: nobody needs the Diagnostics view to play or edit. */
const loadDiagnostics = () => import('../diagnostics/ob-diagnostics-view.ts');

/** Everything the shell is built from (made in main.ts). */
export interface AppParts {
  readonly store: LocalStore;
  readonly ctl: SessionController;
  readonly presets: PresetLibrary;
  readonly audio: AudioSession;
  readonly pwa: PwaState;
  /** The relay link (inert without a stored token). */
  readonly sync?: SyncLink;
  /** The other tabs of this device (their edits to the open session, a deletion). */
  readonly tabs?: TabLink;
  /** A session id from an invite link, to open at start. */
  readonly invite?: string | null;
  /** The view this device opens a session on when the address names none: the Surface view on a device a control-surface invite opened; else the Mixer. */
  readonly landing?: ViewName;
}

/**
 * `<ob-app>`: the shell: header (session, transport, status), navigation,
 * the current view, warnings and the PWA prompts. It owns routing and the
 * session list; every document change goes through the controller.
 */
export class ObApp extends LitElement {
  static override properties = {
    parts: { attribute: false },
    _route: { state: true }, _sessions: { state: true }, _skipped: { state: true }, _notice: { state: true }, _details: { state: true },
    _relay: { state: true },
  };
  parts!: AppParts;
  _route: Route = { view: 'sessions' };
  _sessions: SessionSummary[] = [];
  /** The relay's sessions for the Sessions view (see SyncLink.relaySessions). */
  _relay: { sessions: SessionListing[] } | { error: string } | null = null;
  _skipped: SkippedRecord[] = [];
  _notice = '';
  /** The technical reason behind the notice, shown on demand. */
  _details = '';
  #rackTrack: string | undefined;
  readonly #midi = new Watch(this, midi);
  // The shell shows which session is open and its name; each view follows the document itself,
  // so a fader move (or any change inside the session) does not re-render the shell.
  readonly #session = new WatchDoc(this, () => this.parts?.ctl, (doc) => doc?.id);
  readonly #name = new WatchDoc(this, () => this.parts?.ctl, (doc) => doc?.name);

  get #doc(): SessionDocument | null {
    return this.parts.ctl.doc;
  }

  /** Opens the last session (or the list) and starts listening. */
  async start(): Promise<void> {
    const { ctl, store, presets } = this.parts;
    // The list is shown only by the Sessions view (which reads it afresh when shown): a save elsewhere re-renders nothing.
    ctl.on('saved', () => this._route.view === 'sessions' && void this.#refreshSessions());
    ctl.on('op-error', (error) => this.#say(`Not applied: ${error.message}`));
    ctl.on('store-error', (error) => this.#say(isQuotaError(error)
      ? 'Saving failed: this device\'s storage for Outboard is full. Your latest changes are kept in memory until the page closes: '
        + 'delete sessions or audio files you no longer need, or export this session.'
      : 'Saving failed: changes are kept in memory until the page closes.', error instanceof Error ? error.message : String(error)));
    ctl.on('engine-error', (error) => this.#say(`Audio engine: ${String(error)}`));
    // Of the PWA's state the shell shows only whether it can be installed (the prompts show the rest).
    const pwa = this.parts.pwa;
    let installable = pwa.installable;
    pwa.on('change', () => {
      if (pwa.installable === installable) return;
      installable = pwa.installable;
      this.requestUpdate();
    });
    this.addEventListener('ob-navigate', (e) => {
      // Opening a track's rack from the mixer lands on its first control (picking a track inside the rack keeps focus).
      const intoRack = e.view === 'rack' && e.trackId !== undefined && this._route.view !== 'rack';
      this.#go({ view: e.view, trackId: e.trackId });
      if (intoRack) void this.updateComplete.then(() => this.renderRoot.querySelector('ob-rack-view')?.focusFirst());
    });
    this.addEventListener('ob-session-action', (e) => void this.#onSessionAction(e));
    addEventListener('hashchange', () => this.#fromHash());
    this.#startSync();
    this.parts.tabs?.on('closed', () => {
      this.#go({ view: 'sessions' });
      this.#say('The session was deleted in another tab.');
      void this.#refreshSessions();
    });
    // Leaving or hiding the page writes what is pending at once (the document save is debounced).
    addEventListener('pagehide', () => void ctl.flush());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void ctl.flush());
    await Promise.all([this.#refreshSessions(), presets.refresh()]);
    const last = await store.getSetting(LAST_SESSION);
    const invited = this.parts.invite ? await this.#join(this.parts.invite) : false;
    if (!invited && typeof last === 'string' && this._sessions.some((s) => s.id === last)) {
      const got = await ctl.read(last);
      if (got.ok) ctl.load(got.value);
      await this.#refreshSessions();
    }
    this.#fromHash(invited || this.#doc ? this.#landing : 'sessions');
  }

  get #landing(): ViewName {
    return this.parts.landing ?? 'mixer';
  }

  /** Starts the relay link; an invited session opens when it arrives. Answers whether an invite is being opened. */
  async #join(sessionId: string): Promise<boolean> {
    const sync = this.parts.sync;
    if (!sync) return false;
    const doc = await sync.join(sessionId);
    if (doc) {
      this.parts.ctl.load(doc);
      await this.parts.store.setSetting(LAST_SESSION, doc.id);
    }
    return true;
  }

  #startSync(): void {
    const sync = this.parts.sync;
    if (!sync) return;
    sync.on('opened', () => {
      const doc = this.#doc;
      if (doc) void this.parts.store.setSetting(LAST_SESSION, doc.id);
      if (!NEEDS_SESSION.has(this._route.view)) this.#go({ view: this.#landing });
      void this.#refreshSessions();
    });
    sync.on('refused', ({ error, op }) => {
      this.#say(op
        ? `The relay refused a change (${error.code}): ${error.message}. It was undone here.`
        : `Sync: ${error.message} (${error.code})`);
    });
    sync.start();
  }

  #fromHash(fallback: ViewName = 'sessions'): void {
    const route = parseRoute(location.hash) ?? { view: fallback };
    this._route = !this.#doc && NEEDS_SESSION.has(route.view) ? { view: 'sessions' } : route;
    // The view lands in the address bar too, so a reload returns to it (a surface stays on the Surface view).
    if (this._route === route && location.hash !== routeHash(route)) history.replaceState(null, '', routeHash(route));
  }

  #go(route: Route): void {
    // The Rack tab returns to the last track whose rack was open.
    if (route.view === 'rack' && route.trackId) this.#rackTrack = route.trackId;
    if (route.view === 'rack' && !route.trackId && this.#rackTrack) route = { view: 'rack', trackId: this.#rackTrack };
    // A notice is about where the user was: it goes when they go elsewhere.
    if (route.view !== this._route.view || route.trackId !== this._route.trackId) this.#say('');
    this._route = route;
    const hash = routeHash(route);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    this.renderRoot.querySelector('main')?.scrollTo?.({ top: 0 });
  }

  async #refreshSessions(): Promise<void> {
    const { store } = this.parts;
    const listing = await store.listSessions();
    this._sessions = listing.items;
    this._skipped = [...listing.skipped, ...this.parts.presets.skipped];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The lists are read when Sessions is shown, not on every save while the user edits elsewhere.
    if (changed.has('_route') && this._route.view === 'sessions' && changed.get('_route') !== undefined) {
      void this.#refreshSessions();
      void this.#refreshRelay();
    }
  }

  async #refreshRelay(): Promise<void> {
    const listed = await this.parts.sync?.relaySessions();
    this._relay = !listed ? null : listed.ok ? { sessions: listed.value } : { error: `${listed.error.message} (${listed.error.code})` };
  }

  async #onSessionAction(e: SessionActionEvent): Promise<void> {
    const { store, ctl } = this.parts;
    if (e.action === 'open-relay' && e.id) {
      // Opens when the relay's snapshot arrives (the `opened` event), as an invite does.
      await ctl.flush();
      const doc = await this.parts.sync?.join(e.id);
      if (doc) {
        ctl.load(doc);
        this.#go({ view: 'mixer' });
      }
      return;
    }
    try {
      const outcome = await runSessionAction(e, store, ctl);
      if (outcome?.error) this.#say(outcome.error.text, outcome.error.details);
      if (outcome?.open) {
        ctl.load(outcome.open);
        await store.setSetting(LAST_SESSION, outcome.open.id);
        this.#go({ view: 'mixer' });
      }
      if (outcome?.closed) this.#go({ view: 'sessions' });
      if (outcome?.deleted) this.parts.tabs?.deleted(outcome.deleted);
    } catch (error) {
      this.#say(error instanceof Error ? error.message : String(error));
    }
    await this.#refreshSessions();
  }

  #say(text: string, details = ''): void {
    this._notice = text;
    this._details = details;
  }

  /** Shown when the store stops (another tab upgraded the database) or could not open (then in place of the app). */
  interrupted(message: string): void {
    this.#say(message);
  }

  #view() {
    const { ctl, presets, audio, pwa } = this.parts;
    const doc = this.#doc;
    switch (this._route.view) {
      case 'sessions':
        return html`<ob-sessions-view .sessions=${this._sessions} .skipped=${this._skipped} .currentId=${doc?.id ?? null} .relay=${this._relay}></ob-sessions-view>`;
      case 'settings':
        return html`<ob-settings-view .ctl=${ctl} .audio=${audio} .pwa=${pwa} .sync=${this.parts.sync ?? null}></ob-settings-view>`;
      case 'diagnostics':
        void loadDiagnostics().catch((error: unknown) => this.#say(`Diagnostics could not load: ${error instanceof Error ? error.message : String(error)}`));
        return html`<ob-diagnostics-view .link=${this.parts.sync ?? null} .ctl=${ctl}></ob-diagnostics-view>`;
      case 'presets':
        return html`<ob-presets-view .doc=${doc} .ctl=${ctl} .presets=${presets}></ob-presets-view>`;
      case 'surface':
        return doc ? html`<ob-surface-view .doc=${doc} .ctl=${ctl}></ob-surface-view>` : nothing;
      case 'rack':
        return doc ? html`<ob-rack-view .doc=${doc} .ctl=${ctl} .presets=${presets} .audio=${audio} .trackId=${this._route.trackId ?? null}></ob-rack-view>` : nothing;
      default:
        return doc ? html`<ob-mixer-view .doc=${doc} .ctl=${ctl}></ob-mixer-view>` : nothing;
    }
  }

  override render() {
    if (!this.parts) return this._notice ? html`<div class="notice" role="alert">${this._notice}</div>` : html`<div class="booting">Outboard</div>`;
    const doc = this.#doc;
    const { ctl, audio, pwa } = this.parts;
    return html`
      <header>
        <div class="bar">
          <a class="brand" href="#/sessions" aria-label="Outboard"><span class="logo" aria-hidden="true"><i></i><i></i><i></i></span>Outboard</a>
          <span class="session" title=${doc ? sessionTitle(doc.name) : ''}>${doc ? sessionTitle(doc.name) : 'No session open'}</span>
          <span class="spacer"></span>
          ${doc ? html`<ob-transport .ctl=${ctl} .audio=${audio}></ob-transport>` : nothing}
          ${doc && midi.supported ? html`<button class="learn" aria-pressed=${midi.learning ? 'true' : 'false'} title="Map controls to a MIDI controller"
            @click=${() => void midi.setLearning(!midi.learning)}>MIDI Learn</button>` : nothing}
          <ob-sync-status .link=${this.parts.sync ?? null}></ob-sync-status>
        </div>
        <nav aria-label="Views">
          ${VIEWS.map((v) => html`<a href=${routeHash({ view: v })} aria-current=${this._route.view === v ? 'page' : 'false'}
            class=${!doc && NEEDS_SESSION.has(v) ? 'off' : ''} aria-disabled=${!doc && NEEDS_SESSION.has(v) ? 'true' : 'false'}
            @click=${(e: Event) => { e.preventDefault(); if (doc || !NEEDS_SESSION.has(v)) this.dispatchEvent(new NavigateEvent(v)); }}>${LABELS[v]}</a>`)}
          ${pwa.installable ? html`<button class="install" @click=${() => void pwa.install()}>Install app</button>` : nothing}
        </nav>
      </header>
      ${midi.learning ? html`<div class="notice learning" role="status">
        <span>${midi.error || `MIDI learn: ${midi.status}`}</span>
        <button @click=${() => void midi.setLearning(false)}>Done</button></div>` : nothing}
      ${this._notice ? html`<div class="notice" role="alert"><span>${this._notice}
        ${this._details ? html`<details><summary>Details</summary><code>${this._details}</code></details>` : nothing}</span>
        <button class="ghost" aria-label="Dismiss" @click=${() => this.#say('')}>✕</button></div>` : nothing}
      ${this._skipped.length && this._route.view !== 'sessions' ? html`<div class="notice warn" role="alert">
        ${this._skipped.length} saved record${this._skipped.length > 1 ? 's' : ''} could not be read and ${this._skipped.length > 1 ? 'were' : 'was'} skipped (details in Sessions).</div>` : nothing}
      <main>${this.#view()}</main>
      <ob-pwa-prompts .pwa=${pwa} .audio=${audio}></ob-pwa-prompts>`;
  }

  static override styles = [base, shellStyles, css``];
}

customElements.define('ob-app', ObApp);

declare global {
  interface HTMLElementTagNameMap {
    'ob-app': ObApp;
  }
}
