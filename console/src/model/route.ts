// Hash routes (#/<view>?<params>): every view and its parameters, asOf included, live in the URL, so a
// link shows the same view at the same date to whoever opens it.

export const VIEW_NAMES = ['network', 'pop', 'find', 'residency', 'cost', 'scenarios'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export interface Route {
  view: ViewName;
  params: Record<string, string>;
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const view = (VIEW_NAMES as readonly string[]).includes(path) ? (path as ViewName) : 'network';
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

/** Parameters with an empty value are left out; the order is the caller's. */
export function formatRoute(route: Route): string {
  const query = new URLSearchParams(Object.entries(route.params).filter(([, value]) => value !== '')).toString();
  return `#/${route.view}${query ? `?${query}` : ''}`;
}

/** The same route with some parameters changed ('' removes one). */
export function withParams(route: Route, changes: Record<string, string>): Route {
  return { view: route.view, params: { ...route.params, ...changes } };
}

/** `asOf` of the URL as the instant GraphQL takes, or null (now). Accepts a date or an instant, always UTC. */
export function asOfInstant(value: string | undefined): string | null {
  if (!value) return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
