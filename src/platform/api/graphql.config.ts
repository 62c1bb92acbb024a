import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import type { Logger } from 'pino';
import { createGraphqlErrorFormatter } from './errors/graphql-error.formatter';
import { plainFieldReads } from './plain-field-reads.transform';
import { MAX_QUERY_DEPTH, queryCostRule } from './query-limits.rules';
import { DateScalar } from './scalars/date.scalar';
import { DateTimeScalar } from './scalars/date-time.scalar';
import { DecimalScalar } from './scalars/decimal.scalar';
import { JsonScalar } from './scalars/json.scalar';

/** Where GraphQL answers (POST and GET); GraphiQL is at /graphiql. */
export const GRAPHQL_PATH = '/graphql';

/** Code-first schema on Mercurius (each query JIT-compiled on its second run), GraphiQL, depth and size limits. */
export function graphqlConfig(logger: Logger): MercuriusDriverConfig {
  return {
    driver: MercuriusDriver,
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: true,
    path: GRAPHQL_PATH,
    jit: 1,
    queryDepth: MAX_QUERY_DEPTH,
    validationRules: [queryCostRule],
    allowBatchedQueries: false,
    resolvers: { DateTime: DateTimeScalar, Date: DateScalar, Decimal: DecimalScalar, JSON: JsonScalar },
    transformSchema: plainFieldReads,
    errorFormatter: createGraphqlErrorFormatter(logger) as MercuriusDriverConfig['errorFormatter'],
  };
}
