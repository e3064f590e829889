import { Emitter } from './emitter.ts';
import type { ControlKey } from '../protocol/controls.ts';
import type { Member } from '../sync/index.ts';

/**
 * What every control needs to know about the shared surface, without
 * threading it through each view: whether this device may change anything
 * (a viewer's surface is read-only) and which control each other member is
 * moving. One instance per page; controls listen for `change`.
 */
export class SurfaceState extends Emitter<{ change: void; hold: ControlKey; release: ControlKey }> {
  #readOnly = false;
  #touching = new Map<ControlKey, Member>();

  /** True on a viewer's surface. */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  set readOnly(value: boolean) {
    if (value === this.#readOnly) return;
    this.#readOnly = value;
    this.emit('change');
  }

  /** The other member moving the control with this key (see `controlKey`), if any. */
  touchedBy(key: ControlKey): Member | undefined {
    return this.#touching.get(key);
  }

  /** This device's user took hold of a control (the session controller keeps remote values off its engine). */
  hold(key: ControlKey): void {
    if (key) this.emit('hold', key);
  }

  /** This device's user let go of a control (after the gesture's final value, if any, was dispatched). */
  release(key: ControlKey): void {
    if (key) this.emit('release', key);
  }

  /** Replaces who touches what, from the presence roster. */
  setMembers(members: readonly Member[]): void {
    const next = new Map<ControlKey, Member>();
    for (const m of members) if (m.touching) next.set(m.touching, m);
    const same = next.size === this.#touching.size && [...next].every(([k, m]) => this.#touching.get(k)?.connectionId === m.connectionId);
    this.#touching = next;
    if (!same) this.emit('change');
  }
}

/** The page's surface state. */
export const surface = new SurfaceState();
