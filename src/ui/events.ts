/**
 * Typed DOM events the UI's components dispatch (composed, so they cross
 * shadow roots). Listeners get the right detail type through the
 * `HTMLElementEventMap` augmentation below.
 */

/** A control's value moved (`final: false` during a gesture) or settled (`final: true`). */
export class ParamEvent extends Event {
  static readonly type = 'ob-param' as const;
  constructor(readonly value: number, readonly final: boolean) {
    super(ParamEvent.type, { bubbles: true, composed: true });
  }
}

/** A request to navigate to a view (and optionally a track). */
export class NavigateEvent extends Event {
  static readonly type = 'ob-navigate' as const;
  constructor(readonly view: ViewName, readonly trackId?: string) {
    super(NavigateEvent.type, { bubbles: true, composed: true });
  }
}

/** The app's main views. */
export const VIEWS = ['sessions', 'mixer', 'surface', 'rack', 'presets', 'settings', 'diagnostics'] as const;
export type ViewName = (typeof VIEWS)[number];

declare global {
  interface HTMLElementEventMap {
    'ob-param': ParamEvent;
    'ob-navigate': NavigateEvent;
  }
}
