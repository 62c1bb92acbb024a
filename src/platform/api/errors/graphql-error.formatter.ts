import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { ApiError } from './api-error.types';
import { toApiError } from './to-api-error.util';

interface MercuriusExecution {
  data?: unknown;
  errors: readonly GraphQLError[];
}

/**
 * Formats every GraphQL error with `extensions.code` (docs/api.md, "Errors"). Errors that GraphQL itself
 * raises (syntax, unknown field, bad variable type) are BAD_USER_INPUT with a 400, a malformed or
 * oversize body 400/413; errors raised while resolving keep a 200 and the partial data. Internal errors never show their message or stack.
 */
export function createGraphqlErrorFormatter(logger: Logger) {
  return (execution: MercuriusExecution) => {
    // A request-level error (no path: bad JSON, oversize body, syntax, validation) sets the HTTP status.
    let statusCode = 200;
    const errors = execution.errors.flatMap((error) => {
      const inner = (error.originalError as { errors?: GraphQLError[] } | undefined)?.errors;
      if (Array.isArray(inner)) {
        statusCode = 400;
        return inner.map((e) => format(e, new ApiError('BAD_USER_INPUT', e.message)));
      }
      const apiError =
        !error.originalError || error.originalError instanceof GraphQLError
          ? new ApiError('BAD_USER_INPUT', error.message)
          : toApiError(error.originalError);
      // ApiErrors come from the exception filter, which has logged the cause already.
      if (apiError.code === 'INTERNAL_SERVER_ERROR' && !(error.originalError instanceof ApiError)) logger.error({ err: error.originalError, path: error.path }, 'resolver failed');
      else if (!error.path && !execution.data) statusCode = Math.max(statusCode, apiError.httpStatus);
      return [format(error, apiError)];
    });
    return { statusCode, response: { data: execution.data ?? null, errors } };
  };
}

function format(error: GraphQLError, apiError: ApiError) {
  return {
    message: apiError.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: apiError.code, ...apiError.extensions },
  };
}
