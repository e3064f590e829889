import { VIEWS, type ViewName } from '../events.ts';

/** Where the app is: a view and, for the rack, a track. Kept in the URL hash so a reload returns there. */
export interface Route {
  readonly view: ViewName;
  readonly trackId?: string | undefined;
}

/** Parses `#/mixer`, `#/rack/trk_x`. */
export function parseRoute(hash: string): Route | null {
  const [view, trackId] = hash.replace(/^#\/?/, '').split('/');
  if (!VIEWS.includes(view as ViewName)) return null;
  return { view: view as ViewName, trackId: trackId ? decodeURIComponent(trackId) : undefined };
}

/** The hash for a route. */
export function routeHash(route: Route): string {
  return `#/${route.view}${route.trackId ? `/${encodeURIComponent(route.trackId)}` : ''}`;
}

/** The device's setting naming the view it opens on when its address names none: `surface` or `mixer`. */
export const LANDING_VIEW_KEY = 'landing_view';
