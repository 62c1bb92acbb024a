import { HttpException } from '@nestjs/common';
import { InvalidInputError, NotFoundError, RuleViolationError } from '../../../kernel/domain.errors';
import { AppendTooLargeError, WrongExpectedRevisionError } from '../../event-store/event-store.port';
import { ApiError, ErrorCode } from './api-error.types';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

/**
 * Maps anything thrown below the API to an ApiError. Unknown errors become a generic internal
 * error whose message reveals nothing; the caller logs the original.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RuleViolationError) return new ApiError('RULE_VIOLATION', error.message, { rule: error.rule });
  if (error instanceof NotFoundError) return new ApiError('NOT_FOUND', error.message);
  if (error instanceof InvalidInputError) return ApiError.badInput([{ field: error.field, message: error.message }]);
  if (error instanceof WrongExpectedRevisionError) {
    return new ApiError('CONFLICT', `Stream ${error.streamId} is at revision ${String(error.actual)}, not ${String(error.expected)}`, {
      streamId: error.streamId,
      actualRevision: error.actual === 'no_stream' ? null : error.actual,
    });
  }
  // The events a command decided exceed what the event store takes in one append (EventStoreDB: MaxAppendSize).
  if (error instanceof AppendTooLargeError) {
    return new ApiError('PAYLOAD_TOO_LARGE', error.message, { streamId: error.streamId, size: error.size, maxBytes: error.maxBytes });
  }
  const status = error instanceof HttpException ? error.getStatus() : httpStatusOf(error);
  const code = status !== undefined ? STATUS_CODES[status] : undefined;
  if (code) {
    const message = error instanceof Error && status !== 500 ? error.message : 'Request failed';
    return new ApiError(code, message);
  }
  return new ApiError('INTERNAL_SERVER_ERROR', 'Internal error');
}

/** Fastify's own errors (body parsing, size) carry a statusCode below 500. */
function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
