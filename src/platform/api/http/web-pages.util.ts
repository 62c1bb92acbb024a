import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError } from '../errors/api-error.types';
import { sendProblem } from '../errors/problem-details.util';

/** The pages `npm run build` bundles (scripts/build-web.mjs) into dist/web/<page>/: index.html and assets/. */
export const WEB_PAGES = ['console', 'graphiql'] as const;

/** dist/web, from dist/src/platform/api/http. */
export const WEB_DIR = resolve(__dirname, '..', '..', '..', '..', 'web');

/**
 * Serves each page with no key (its data comes from /graphql with the user's key): `/<page>` is its
 * index.html, never cached (it names the current assets), and `/<page>/assets/*` are content-hashed
 * files, cached for a year. A page that was not built answers 404 and says how to build it.
 */
export async function serveWebPages(fastify: FastifyInstance, dir: string = WEB_DIR): Promise<void> {
  for (const page of WEB_PAGES) {
    const index = await readFile(join(dir, page, 'index.html'), 'utf8').catch(() => null);
    const sendIndex = async (_request: unknown, reply: FastifyReply) => {
      if (index === null) return sendProblem(reply, new ApiError('NOT_FOUND', `The ${page} page is not built: run npm run build`));
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
    };
    fastify.get(`/${page}`, sendIndex);
    fastify.get(`/${page}/`, sendIndex);
    if (index === null) continue;
    await fastify.register(fastifyStatic, {
      root: join(dir, page, 'assets'),
      prefix: `/${page}/assets/`,
      decorateReply: false,
      index: false,
      // Hashed names: a changed file gets a new name, so a cached one never goes stale.
      immutable: true,
      maxAge: '365d',
    });
  }
}
