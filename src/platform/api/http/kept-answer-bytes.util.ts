import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphQLResolveInfo, Kind } from 'graphql';
import { LRUCache } from 'lru-cache';
import { map, Observable } from 'rxjs';
import type { MetricsService } from '../../observability/metrics.service';
import type { AuthenticatedRequest } from '../auth/auth.guard';

/** Bytes of serialized answers (and their keys) kept at most (the POP summaries of 10,000 PoPs are about 1.3 MB each). */
export const KEPT_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * A GraphQL answer's bytes, keyed by the kept answer (the list a resolver returned, by identity) it was
 * written from and by everything else the bytes depend on: the caller's role, the document, the operation
 * and the variables. A new kept answer has a new identity, so its predecessor's bytes are never served again
 * and age out (bounded in bytes).
 */
const answers = new LRUCache<string, Buffer>({ maxSize: KEPT_ANSWER_BYTES, sizeCalculation: (bytes, key) => bytes.length + key.length });
const identities = new WeakMap<object, number>();
let lastIdentity = 0;

/** What the hooks do with a request's answer: send kept bytes in its place, or keep its bytes. */
type Pending = { send: Buffer } | { keep: string; clean?: boolean };
const pending = new WeakMap<FastifyRequest, Pending>();

function identityOf(value: object): number {
  let identity = identities.get(value);
  if (identity === undefined) identities.set(value, (identity = ++lastIdentity));
  return identity;
}

/**
 * The key of a request whose whole document is one query field without directives (so the answer is this
 * field's alone), or undefined. The bytes depend on the document's text, the operation chosen, the
 * variables (coerced, so defaults included) and the role (the guard has admitted the caller).
 */
function requestKey(info: GraphQLResolveInfo, role: string): string | undefined {
  const selections = info.operation.selectionSet.selections;
  const source = info.operation.loc?.source.body;
  if (info.operation.operation !== 'query' || selections.length !== 1 || source === undefined) return undefined;
  const [field] = selections;
  if (field.kind !== Kind.FIELD || (field.directives?.length ?? 0) > 0) return undefined;
  return JSON.stringify([role, info.operation.name?.value ?? null, info.variableValues, source]);
}

/**
 * Behind the guards: when the resolver hands back a list whose answer to this very request was already
 * written, the execution gets an empty list (nothing to complete) and the hooks send the kept bytes instead.
 */
@Injectable()
class KeptAnswerBytesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const gql = GqlExecutionContext.create(context);
    const request = gql.getContext<{ req?: AuthenticatedRequest }>().req;
    const role = request?.principal?.role;
    const key = request && role !== undefined ? requestKey(gql.getInfo<GraphQLResolveInfo>(), role) : undefined;
    if (!request || key === undefined) return next.handle();
    return next.handle().pipe(
      map((value: unknown) => {
        if (!Array.isArray(value)) return value;
        const identified = `${identityOf(value)} ${key}`;
        const bytes = answers.get(identified);
        pending.set(request, bytes ? { send: bytes } : { keep: identified });
        return bytes ? [] : value;
      }),
    );
  }
}

/**
 * Opts a list-valued query field into kept answer bytes: for a resolver that returns the same list object
 * while its answer holds (a kept answer, e.g. AsOfAnswers), a request answered by that field alone is sent
 * the bytes written for the same role, document, operation and variables from that list. Requires
 * `keepAnswerBytes` on the server. Only for fields whose answer depends on nothing else (no per-caller rows).
 */
export const KeptAnswerBytes = () => UseInterceptors(KeptAnswerBytesInterceptor);

/**
 * The server's half (register before other onSend hooks that change the payload): an answer without
 * errors is kept as bytes; a request the interceptor answered with a placeholder gets the kept bytes.
 */
export function keepAnswerBytes(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('preSerialization', (request, _reply, payload: { errors?: unknown }, done) => {
    const todo = pending.get(request);
    if (todo && 'keep' in todo) todo.clean = payload.errors === undefined;
    done(null, payload);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const todo = pending.get(request);
    if (!todo || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload);
    if ('send' in todo) {
      // The placeholder's answer: only its errors, if any, could differ from the kept bytes'.
      if ((JSON.parse(payload) as { errors?: unknown }).errors !== undefined) return done(null, payload);
      metrics.keptAnswerBytes.inc({ outcome: 'sent' });
      return done(null, todo.send);
    }
    if (!todo.clean) return done(null, payload);
    const bytes = Buffer.from(payload);
    answers.set(todo.keep, bytes);
    metrics.keptAnswerBytes.inc({ outcome: 'kept' });
    done(null, bytes);
  });
}
