import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionDocument } from '../protocol/session.ts';

/** Something that says when it changed (an `Emitter` with a `change` event). */
export interface ChangeSource {
  on(type: 'change', listener: () => void): () => void;
}

/**
 * Re-renders a component whenever a page-wide state changes while the
 * component is on the page: the surface (a viewer's read-only state, who
 * touches what), MIDI learn and mappings.
 */
export class Watch implements ReactiveController {
  #off: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly source: ChangeSource) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#off = this.source.on('change', () => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = null;
  }
}

/** What {@link WatchDoc} follows: the session controller's open document and its `change` event. */
export interface DocSource {
  readonly doc: SessionDocument | null;
  on(type: 'change', listener: () => void): () => void;
}

/**
 * Re-renders a component only when the part of the open document it shows
 * changes: on each `change` of the session controller, `select` picks that
 * part (the session's name, its tempo, the document itself for a view that
 * draws it) and, when it is not what was picked last (`Object.is`), `then`
 * runs (by default a re-render; a view hands itself the new document).
 * So a fader move re-renders what shows the fader, not the shell around it.
 * `source` is read when the component connects or updates (its parts may be
 * set after it is created).
 */
export class WatchDoc<T> implements ReactiveController {
  #off: (() => void) | null = null;
  #from: DocSource | undefined;
  #last: T | undefined;
  #seen = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => DocSource | null | undefined,
    private readonly select: (doc: SessionDocument | null) => T,
    private readonly then: (picked: T) => void = () => host.requestUpdate(),
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    // The source may have been set (or replaced) since the host connected.
    if (this.source() !== this.#from) this.#follow();
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = null;
    this.#from = undefined;
  }

  #follow(): void {
    this.#off?.();
    this.#off = null;
    this.#from = this.source() ?? undefined;
    const from = this.#from;
    if (!from) return;
    this.#off = from.on('change', () => this.#check(from));
    // First time: the host renders what is there now. Back on the page: what changed while it was away.
    if (this.#seen) this.#check(from);
    else this.#last = this.select(from.doc);
    this.#seen = true;
  }

  #check(from: DocSource): void {
    const picked = this.select(from.doc);
    if (Object.is(picked, this.#last)) return;
    this.#last = picked;
    this.then(picked);
  }
}

/**
 * A view that draws the whole open document hands itself each new one (the
 * shell above it does not re-render to pass it down); a closed session
 * keeps the last one until the shell takes the view away.
 */
export function followDocument(host: ReactiveControllerHost & { ctl: DocSource; doc: SessionDocument }): WatchDoc<SessionDocument | null> {
  return new WatchDoc(host, () => host.ctl, (doc) => doc, (doc) => {
    if (doc) host.doc = doc;
  });
}
