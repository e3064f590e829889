interface Entry {
  readonly call: (detail: unknown) => void;
  live: boolean;
}

/** Reports a listener's error as an uncaught one (the browser's `reportError`; elsewhere, thrown from a microtask). */
function report(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else queueMicrotask(() => {
    throw error;
  });
}

/**
 * Declared events: `Events` maps each event name to its detail type (`void`
 * for none), so listeners get a typed detail and no listener casts.
 *
 * Listeners are called directly, not through an EventTarget: the session
 * controller emits on every fader event, and a DOM event (a CustomEvent
 * allocated, then dispatched) cost more there than the op itself. As with
 * an EventTarget, a listener that throws does not stop the others nor the
 * emitter (its error is reported asynchronously), a listener added during an
 * emit waits for the next one, and one removed during it is not called.
 */
export class Emitter<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<string, Entry[]>();

  /** Calls `listener` with each `type` event's detail; answers the function that stops it. */
  on<K extends keyof Events & string>(type: K, listener: (detail: Events[K]) => void): () => void {
    const entry: Entry = { call: listener as (detail: unknown) => void, live: true };
    // Copy on write: an emit in progress keeps iterating the list it started with.
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), entry]);
    return () => {
      entry.live = false;
      const rest = (this.#listeners.get(type) ?? []).filter((e) => e !== entry);
      if (rest.length) this.#listeners.set(type, rest);
      else this.#listeners.delete(type);
    };
  }

  /** Tells every listener of `type`. */
  protected emit<K extends keyof Events & string>(type: K, ...detail: Events[K] extends void ? [] : [Events[K]]): void {
    const entries = this.#listeners.get(type);
    if (!entries) return;
    for (const entry of entries) {
      if (!entry.live) continue;
      try {
        entry.call(detail[0]);
      } catch (error) {
        report(error);
      }
    }
  }
}
