/**
 * An EventTarget whose events are declared: `Events` maps each event name to
 * its detail type (`void` for none), so listeners get a typed detail and no
 * listener casts. The one cast from `Event` to the declared detail is here.
 */
export class Emitter<Events extends Record<string, unknown>> extends EventTarget {
  /** Calls `listener` with each `type` event's detail; answers the function that stops it. */
  on<K extends keyof Events & string>(type: K, listener: (detail: Events[K]) => void): () => void {
    const handler = (e: Event): void => listener((e as CustomEvent<Events[K]>).detail);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /** Tells every listener of `type`. */
  protected emit<K extends keyof Events & string>(type: K, ...detail: Events[K] extends void ? [] : [Events[K]]): void {
    this.dispatchEvent(new CustomEvent(type, { detail: detail[0] }));
  }
}
