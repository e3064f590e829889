/** How far, in CSS pixels, a drag travels for the whole range. */
export const DRAG_TRAVEL_PX = 220;
/** Fine adjustment divides motion by this (Shift/Ctrl on a mouse, a second finger on touch). */
export const FINE_FACTOR = 10;
const DOUBLE_TAP_MS = 320;
const TAP_SLOP_PX = 6;

/** Pointer capture, tolerating pointers the browser no longer knows (synthetic or already lifted). */
function capture(el: Element, pointerId: number): void {
  try {
    el.setPointerCapture(pointerId);
  } catch {
    // Without capture the drag still works while the pointer stays over the control.
  }
}

/** Which way a drag moves the value. */
export type DragAxis = 'vertical' | 'horizontal';

/** Callbacks from a gesture to its control. */
export interface GestureHost {
  /** Current position 0..1 when the drag starts. */
  position(): number;
  /** A new position during the drag. */
  move(position: number): void;
  /** The gesture ended (the last position is final). */
  end(): void;
  /** A double-tap: reset to the default. */
  reset(): void;
}

/** Drags a pointer holds now: leaving the page ends them (see {@link endOpenGestures}). */
const open = new Set<DragGesture>();

/**
 * Ends every drag a pointer still holds, each with its last position as the
 * final value. Values inside a drag are ephemeral: the page leaving
 * (pagehide: a reload, closing the tab) mid-drag must still send a durable
 * final value, or the other devices keep an in-gesture value the relay never logged.
 */
export function endOpenGestures(): void {
  for (const g of [...open]) g.end();
}

/**
 * Relative drag with pointer capture: the value moves by how far the pointer
 * moved, never jumps to where it touched. The first pointer owns the control;
 * further pointers on the same control only switch to fine adjustment, so
 * several fingers can ride several controls at once.
 */
export class DragGesture {
  #owner: number | null = null;
  #extra = new Set<number>();
  #last = { x: 0, y: 0 };
  #origin = { x: 0, y: 0 };
  #pos = 0;
  #moved = false;
  #lastTap = 0;
  /** This drag's moves come as `pointerrawupdate`: the frame-aligned `pointermove` copies are ignored. */
  #raw = false;

  constructor(private readonly host: GestureHost, private readonly axis: () => DragAxis) {}

  /** True while a pointer owns the control. */
  get active(): boolean {
    return this.#owner !== null;
  }

  down(e: PointerEvent): void {
    const el = e.currentTarget as Element;
    if (this.#owner !== null) {
      this.#extra.add(e.pointerId);
      capture(el, e.pointerId);
      return;
    }
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    capture(el, e.pointerId);
    this.#owner = e.pointerId;
    open.add(this);
    this.#raw = false;
    this.#last = { x: e.clientX, y: e.clientY };
    this.#origin = { ...this.#last };
    this.#pos = this.host.position();
    this.#moved = false;
  }

  /**
   * A move, from `pointermove` or `pointerrawupdate`. Chromium delivers
   * `pointermove` aligned to the next animation frame, a frame or more after
   * the finger moved; `pointerrawupdate` (secure contexts) comes at once with
   * the same position. Once a drag has seen a raw update it follows those only.
   */
  move(e: PointerEvent): void {
    if (e.pointerId !== this.#owner) return;
    if (e.type === 'pointerrawupdate') this.#raw = true;
    else if (this.#raw) return;
    const dx = e.clientX - this.#last.x;
    const dy = this.#last.y - e.clientY;
    this.#last = { x: e.clientX, y: e.clientY };
    if (Math.hypot(e.clientX - this.#origin.x, e.clientY - this.#origin.y) > TAP_SLOP_PX) this.#moved = true;
    const fine = e.shiftKey || e.ctrlKey || e.metaKey || this.#extra.size > 0;
    const delta = this.axis() === 'horizontal' ? dx : dy;
    this.#pos = Math.min(1, Math.max(0, this.#pos + delta / DRAG_TRAVEL_PX / (fine ? FINE_FACTOR : 1)));
    this.host.move(this.#pos);
  }

  up(e: PointerEvent): void {
    if (this.#extra.delete(e.pointerId)) return;
    if (e.pointerId !== this.#owner) return;
    this.#release();
    if (!this.#moved && e.pointerType !== 'mouse') {
      const now = e.timeStamp;
      if (now - this.#lastTap < DOUBLE_TAP_MS) {
        this.#lastTap = 0;
        this.host.reset();
        return;
      }
      this.#lastTap = now;
    }
    this.host.end();
  }

  /** Ends the drag where it is, without its pointer being lifted (the page is leaving). */
  end(): void {
    if (this.#owner === null) return;
    this.#release();
    this.host.end();
  }

  #release(): void {
    this.#owner = null;
    this.#extra.clear();
    open.delete(this);
  }
}
