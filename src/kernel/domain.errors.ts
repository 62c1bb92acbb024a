/**
 * Errors the domain throws. The API layer maps them to GraphQL codes: RuleViolationError to
 * RULE_VIOLATION (with `extensions.rule`), NotFoundError to NOT_FOUND, InvalidInputError to
 * BAD_USER_INPUT (it carries `statusCode = 400` so the generic HTTP mapping already applies).
 */

export const RULE_CODES = [
  'INVALID_TRANSITION',
  'NO_LEASE',
  'RACK_LIMIT',
  'UNKNOWN_RACK',
  'UNKNOWN_ID',
  'DUPLICATE_ID',
  'OUT_OF_RACK',
  'SPACE_OVERLAP',
  'POWER_EXCEEDED',
  'SPACE_EXCEEDED',
  'BANDWIDTH_EXCEEDED',
  'RESERVATION_EXCEEDED',
  'RACK_NOT_EMPTY',
  /** Access: a key from API_KEYS cannot be revoked through the API. */
  'KEY_FROM_ENVIRONMENT',
  'SCENARIO_CLOSED',
] as const;

export type RuleCode = (typeof RULE_CODES)[number];

export class RuleViolationError extends Error {
  constructor(
    readonly rule: RuleCode,
    message: string,
  ) {
    super(message);
    this.name = 'RuleViolationError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A value the API's field validation let through but that the domain cannot accept (e.g. until ≤ from). */
export class InvalidInputError extends Error {
  readonly statusCode = 400;

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
