import { InvalidInputError } from './domain.errors';

/**
 * Guards for numbers the API validates already: a NaN or a negative height reaching a timeline
 * would corrupt every later check, so the domain refuses them too.
 */

export function requirePositive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new InvalidInputError(field, `${field} must be a positive number, got ${value}`);
  return value;
}

export function requireNonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw new InvalidInputError(field, `${field} must be zero or more, got ${value}`);
  return value;
}

export function requirePositiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidInputError(field, `${field} must be a positive integer, got ${value}`);
  return value;
}

export function requireNonNegativeInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidInputError(field, `${field} must be a non-negative integer, got ${value}`);
  return value;
}
