import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { RouteOptions } from 'fastify';

/**
 * Helmet's headers on every answer (HSTS, nosniff, frame and referrer policies, cross-origin policies…)
 * with a Content-Security-Policy that lets an API answer load nothing at all.
 */
export const securityHeaders: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
};

/** Where Mercurius's GraphiQL page loads React, GraphiQL and its stylesheet from. */
export const GRAPHIQL_CDN = 'https://unpkg.com';

/**
 * The GraphiQL page (/graphiql, /graphiql/main.js, /graphiql/config.js, /graphiql/sw.js) loads its
 * scripts and stylesheet from the CDN, uses inline styles, and its bundle builds a function from a
 * string (`new Function`, hence 'unsafe-eval', on these routes only). It talks to /graphql on the same
 * origin and registers its own service worker.
 */
export const graphiqlContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-eval'", GRAPHIQL_CDN],
    styleSrc: ["'self'", "'unsafe-inline'", GRAPHIQL_CDN],
    imgSrc: ["'self'", 'data:', GRAPHIQL_CDN],
    fontSrc: ["'self'", 'data:', GRAPHIQL_CDN],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** An `onRoute` hook: gives the GraphiQL routes their own policy (register it before Mercurius adds them). */
export function graphiqlRouteHeaders(route: RouteOptions & { helmet?: unknown }): void {
  if (route.url === '/graphiql' || route.url.startsWith('/graphiql/')) {
    route.helmet = { contentSecurityPolicy: graphiqlContentSecurityPolicy };
  }
}

/**
 * The headers helmet sets with `securityHeaders`, for the few answers written before a request exists
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
