/**
 * The error codes of the API (docs/api.md, "Errors"), shared by GraphQL (`extensions.code`) and REST
 * (problem details). Anything that is not an ApiError is mapped by `toApiError`.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RULE_VIOLATION'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export interface FieldError {
  field: string;
  message: string;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RULE_VIOLATION: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

export class ApiError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.httpStatus = HTTP_STATUS[code];
  }

  static badInput(fields: FieldError[], message = 'Invalid input'): ApiError {
    const detail = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return new ApiError('BAD_USER_INPUT', detail ? `${message}: ${detail}` : message, { fields });
  }

  static unauthenticated(): ApiError {
    return new ApiError('UNAUTHENTICATED', 'A valid API key is required (Authorization: Bearer <secret>)');
  }

  static forbidden(role: string, allowed: readonly string[]): ApiError {
    return new ApiError('FORBIDDEN', `Role ${role} may not do this; allowed roles: ${allowed.join(', ')}`);
  }

  /** More than `limit` requests in one second with one key (or from one address without a key). */
  static rateLimited(limit: number, retryAfterSeconds: number): ApiError {
    return new ApiError('RATE_LIMITED', `Rate limit exceeded: at most ${limit} requests per second per key; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}
