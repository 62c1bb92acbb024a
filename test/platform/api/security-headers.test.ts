import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { apiHelmetOptions, webPageContentSecurityPolicy } from '../../../src/platform/api/http/security-headers.config';
import { securityHeadersHook } from '../../../src/platform/api/http/security-headers.util';

function response(): ServerResponse {
  const answer = new ServerResponse(new IncomingMessage(new Socket()));
  // Set before the hook runs, so that helmet's removal of it shows.
  answer.setHeader('X-Powered-By', 'something');
  return answer;
}

/** The headers as they would be written: names in order, with their values. */
const written = (answer: ServerResponse) => answer.getHeaderNames().map((name) => [name, answer.getHeader(name)]);

function byHelmet(options: HelmetOptions): ServerResponse {
  const answer = response();
  helmet(options)({} as never, answer as never, (error?: unknown) => assert.equal(error, undefined));
  return answer;
}

function byHook(hook: ReturnType<typeof securityHeadersHook>, routeConfig: Record<string, unknown>): ServerResponse {
  const raw = response();
  let called = 0;
  hook.call(undefined as never, { routeOptions: { config: routeConfig } } as unknown as FastifyRequest, { raw } as unknown as FastifyReply, (error?: Error) => {
    assert.equal(error, undefined);
    called += 1;
  });
  assert.equal(called, 1);
  return raw;
}

describe('securityHeadersHook', () => {
  it("writes on an API answer the headers helmet's middleware writes, in its order", () => {
    const hook = securityHeadersHook();
    for (let i = 0; i < 2; i++) {
      const answer = byHook(hook, {});
      assert.deepEqual(written(answer), written(byHelmet(apiHelmetOptions)));
      assert.equal(answer.hasHeader('x-powered-by'), false);
    }
  });

  it("writes a route's own policy over the API's, as @fastify/helmet merged them", () => {
    const hook = securityHeadersHook();
    const own = { contentSecurityPolicy: webPageContentSecurityPolicy };
    for (let i = 0; i < 2; i++) {
      const answer = byHook(hook, { helmet: own });
      assert.deepEqual(written(answer), written(byHelmet({ ...apiHelmetOptions, ...own })));
      assert.match(String(answer.getHeader('content-security-policy')), /script-src 'self'/);
    }
  });
});
