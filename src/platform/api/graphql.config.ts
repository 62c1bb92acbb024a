import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { graphqlTracingHooks } from '../observability/request-tracing.util';
import { createGraphqlErrorFormatter } from './errors/graphql-error.formatter';
import { plainFieldReads } from './plain-field-reads.transform';
import { MAX_QUERY_DEPTH, MAX_QUERY_TOKENS, queryCostRule } from './query-limits.rules';
import { DateScalar } from './scalars/date.scalar';
import { DateTimeScalar } from './scalars/date-time.scalar';
import { DecimalScalar } from './scalars/decimal.scalar';
import { JsonScalar } from './scalars/json.scalar';

/** The GraphQL endpoint. */
export const GRAPHQL_PATH = '/graphql';

/**
 * Code-first schema on Mercurius (each query JIT-compiled on its second run), depth and size
 * limits; with `tracing`, hooks that name each operation's span (docs/operations.md, "Tracing").
 */
export function graphqlConfig(logger: Logger, options: { tracing?: boolean } = {}): MercuriusDriverConfig {
  return {
    driver: MercuriusDriver,
    autoSchemaFile: true,
    sortSchema: true,
    // GraphiQL is served by the service itself, bundled with its assets (web-pages.util.ts), not Mercurius's CDN page.
    graphiql: false,
    path: GRAPHQL_PATH,
    jit: 1,
    queryDepth: MAX_QUERY_DEPTH,
    graphql: { parseOptions: { maxTokens: MAX_QUERY_TOKENS } },
    // Parsed (and compiled) documents kept: clients send few distinct queries; fuzzers send many.
    cache: 200,
    validationRules: [queryCostRule],
    allowBatchedQueries: false,
    resolvers: { DateTime: DateTimeScalar, Date: DateScalar, Decimal: DecimalScalar, JSON: JsonScalar },
    transformSchema: plainFieldReads,
    errorFormatter: createGraphqlErrorFormatter(logger) as MercuriusDriverConfig['errorFormatter'],
    hooks: { preParsing: refuseJsonDocuments, ...(options.tracing ? graphqlTracingHooks() : {}) } as MercuriusDriverConfig['hooks'],
  };
}

/**
 * Mercurius takes query text that does not parse as GraphQL but parses as JSON for a pre-parsed
 * document (and then fails on it with an internal error, e.g. `{"query": "42"}`). No GraphQL document
 * is valid JSON, so such text is refused as the syntax error it is (BAD_USER_INPUT, HTTP 400).
 */
async function refuseJsonDocuments(_schema: unknown, source: string): Promise<void> {
  if (isJson(source)) throw new GraphQLError('Syntax Error: the query must be a GraphQL document, not JSON');
}

/** The first character of a JSON text (after white space): an object, array, string, number, true, false or null. */
const JSON_START = /^[\s]*[{["\-0-9tfn]/;

function isJson(text: string): boolean {
  // Most documents start with a keyword no JSON text starts with: no exception thrown and caught per request.
  if (!JSON_START.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
