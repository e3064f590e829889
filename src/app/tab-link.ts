import type { StampedOp } from '../model/index.ts';
import { Emitter } from './emitter.ts';
import type { SessionController } from './session-controller.ts';

/** What one tab tells the others on this device. */
type TabMessage =
  | { readonly kind: 'op'; readonly session: string; readonly op: StampedOp }
  | { readonly kind: 'deleted'; readonly session: string }
  | { readonly kind: 'stored'; readonly what: SharedRecords };

/** Records every tab keeps a copy of in memory and writes back whole: each tab re-reads them when another wrote them. */
export type SharedRecords = 'presets' | 'mappings';

/** What the link tells the app. */
export type TabLinkEvents = {
  /** The open session was deleted in another tab, and closed here. */
  closed: string;
  /** Another tab wrote these records: read them again before writing them (a write would put back the old copy). */
  stored: SharedRecords;
};

const CHANNEL = 'outboard.tabs';

/**
 * Keeps the tabs and windows of one device that show the same session in
 * step. Each tab saves its whole document; without this, a tab that had not
 * seen another's edit wrote over it on its next save. Every durable local op
 * goes to the other tabs, which apply it as a remote op would be applied
 * (saved, not queued: the sending tab already queued it in the shared
 * outbox), so each tab's document, and whatever it saves, holds both tabs'
 * edits. The same goes for the preset library and the MIDI mappings, which
 * each tab keeps in memory: a tab re-reads them when another wrote them.
 * Inert where BroadcastChannel is missing.
 */
export class TabLink extends Emitter<TabLinkEvents> {
  readonly #channel: BroadcastChannel | null;

  constructor(readonly ctl: SessionController, name = CHANNEL) {
    super();
    this.#channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
    if (!this.#channel) return;
    this.#channel.onmessage = (e: MessageEvent<TabMessage>) => this.#receive(e.data);
    ctl.on('op', ({ op, ephemeral }) => {
      const session = ctl.doc?.id;
      if (!ephemeral && session) this.#post({ kind: 'op', session, op });
    });
  }

  /** Tells the other tabs a session was deleted here (one showing it closes it instead of saving it back). */
  deleted(session: string): void {
    this.#post({ kind: 'deleted', session });
  }

  /** Tells the other tabs these records were written here. */
  stored(what: SharedRecords): void {
    this.#post({ kind: 'stored', what });
  }

  #post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  #receive(message: TabMessage): void {
    if (message.kind === 'stored') {
      this.emit('stored', message.what);
      return;
    }
    if (message.session !== this.ctl.doc?.id) return;
    if (message.kind === 'op') this.ctl.applyRemote(message.op);
    else {
      this.ctl.load(null);
      this.emit('closed', message.session);
    }
  }
}
