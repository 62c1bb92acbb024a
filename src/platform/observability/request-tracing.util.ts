import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DocumentNode, getOperationAST } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import { SPAN_ATTRIBUTES, tracer } from './tracing.util';

interface RequestSpans {
  http: Span;
  graphql?: Span;
}

const spans = new WeakMap<FastifyRequest, RequestSpans>();

/**
 * One trace per HTTP request (installed only while tracing is started): a SERVER span from the request
 * to its answer, named `<METHOD> <route>`, continuing a caller's W3C `traceparent`; on the GraphQL route
 * a child span for the operation, renamed `<type> <name>` by `graphqlTracingHooks` once Mercurius has
 * parsed the document. The span of the request (or of its operation) is made the active context before
 * the route's handler runs, so everything the handler does (commands, SQL) is traced beneath it.
 * Attributes: method, route, status code, operation type and name; never a header, the URL's query
 * string or a body.
 */
export function traceRequests(fastify: FastifyInstance, graphqlPath: string): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const http = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, ...(route ? { 'http.route': route } : {}), 'url.scheme': request.protocol },
      },
      parent,
    );
    spans.set(request, { http });
    done();
  });

  // The handler is called synchronously from the last preHandler hook's `done`: running `done` in the
  // span's context makes that span the parent of all the handler's work.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const current = spans.get(request);
    if (!current) return done();
    let active = trace.setSpan(context.active(), current.http);
    if (request.routeOptions.url === graphqlPath) {
      current.graphql = tracer.startSpan('graphql', { kind: SpanKind.INTERNAL }, active);
      active = trace.setSpan(active, current.graphql);
    }
    context.with(active, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const current = spans.get(request);
    if (current) {
      spans.delete(request);
      current.graphql?.end();
      current.http.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) {
        current.http.setStatus({ code: SpanStatusCode.ERROR });
        current.http.setAttribute('error.type', String(reply.statusCode));
      }
      current.http.end();
    }
    done();
  });

  fastify.addHook('onRequestAbort', (request, done) => {
    const current = spans.get(request);
    if (current) {
      spans.delete(request);
      current.graphql?.end();
      current.http.setStatus({ code: SpanStatusCode.ERROR, message: 'aborted by the client' });
      current.http.setAttribute('error.type', 'aborted');
      current.http.end();
    }
    done();
  });
}

/**
 * Mercurius hooks that name the operation's span after the parsed document (`mutation RegisterPop`, or
 * `mutation` for an anonymous one) and record the error codes of an answer with errors.
 */
export function graphqlTracingHooks(): {
  preExecution: (schema: unknown, document: DocumentNode, context: MercuriusContext) => void;
  onResolution: (execution: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }, context: MercuriusContext) => void;
} {
  return {
    preExecution(_schema, document, graphqlContext) {
      const span = spanOf(graphqlContext);
      if (!span) return;
      const operation = getOperationAST(document, operationNameOf(graphqlContext.reply.request));
      if (!operation) return;
      const name = operation.name?.value;
      span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
      span.setAttribute('graphql.operation.type', operation.operation);
      if (name) span.setAttribute('graphql.operation.name', name);
    },
    onResolution(execution, graphqlContext) {
      const span = spanOf(graphqlContext);
      if (!span || !execution.errors?.length) return;
      const codes = [...new Set(execution.errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN')))];
      span.setAttribute(SPAN_ATTRIBUTES.graphqlErrorCodes, codes);
      if (codes.includes('INTERNAL_SERVER_ERROR')) span.setStatus({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
    },
  };
}

function spanOf(graphqlContext: MercuriusContext): Span | undefined {
  const request = graphqlContext.reply?.request;
  return request ? spans.get(request)?.graphql : undefined;
}

function operationNameOf(request: FastifyRequest): string | undefined {
  const from = (request.body ?? request.query) as { operationName?: unknown } | undefined;
  return typeof from?.operationName === 'string' && from.operationName !== '' ? from.operationName : undefined;
}
