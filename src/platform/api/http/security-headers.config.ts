import type { RouteOptions } from 'fastify';
import type { HelmetOptions } from 'helmet';

/**
 * Helmet's headers on every answer (HSTS, nosniff, frame and referrer policies, cross-origin policies…)
 * with a Content-Security-Policy that lets an API answer load nothing at all.
 */
export const apiHelmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
};

/**
 * The pages the service serves itself (web-pages.util.ts): the planning console and GraphiQL. Every
 * script, stylesheet, font and image comes from the service ('self'); they talk to /graphql and the
 * REST endpoints on the same origin. Styles may be inline: the console inlines the server's rack
 * drawings (SVG) and its chart and map set element styles, GraphiQL's editor does too. No eval: neither
 * bundle builds code from strings.
 */
export const webPageContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** A route's own helmet options, in its config: they override `apiHelmetOptions` (securityHeadersHook). */
export interface HelmetRouteConfig {
  helmet?: HelmetOptions;
}

/** An `onRoute` hook: gives the console's and GraphiQL's routes their policy (register it before they are added). */
export function webPageRouteHeaders(route: RouteOptions): void {
  if (pageOf(route.url, 'graphiql') || pageOf(route.url, 'console')) {
    const helmet: HelmetRouteConfig = { helmet: { contentSecurityPolicy: webPageContentSecurityPolicy } };
    route.config = { ...route.config, ...helmet } as RouteOptions['config'];
  }
}

function pageOf(url: string, page: string): boolean {
  return url === `/${page}` || url.startsWith(`/${page}/`);
}

/**
 * The headers helmet sets with `apiHelmetOptions`, for the few answers written before a request exists
 * (a malformed request line, oversize headers: see client-error.util.ts). A test keeps them equal.
 */
export const RAW_ANSWER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
