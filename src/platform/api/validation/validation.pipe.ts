import { ArgumentMetadata, ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import { ApiError, FieldError } from '../errors/api-error.types';
import { validateInput } from './compiled-constraints.validators';
import { plainToInput } from './plain-input.transform';
import { indexValidatorInstances, memoizeValidationMetadata } from './validation-metadata.util';

// Everything that validates input imports this file: the memo and the index are in place before the first validation.
memoizeValidationMetadata();
indexValidatorInstances();

/** Flattens class-validator errors into `extensions.fields` entries such as `monthlyCost.amount`. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** Paths of strings holding U+0000, which PostgreSQL cannot store in text or JSON (plain data only). */
export function nulCharacterFields(value: unknown): FieldError[] {
  const found: FieldError[] = [];
  collectNulCharacterFields(value, '', 0, found);
  return found;
}

// Pushes into one list: this runs on every input, and per-level arrays were most of its cost.
function collectNulCharacterFields(value: unknown, path: string, depth: number, found: FieldError[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ field: path || 'value', message: `${path || 'value'} must not contain the NUL character (U+0000)` });
    return;
  }
  if (value === null || typeof value !== 'object' || depth > 16) return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) collectNulCharacterFields(object[key], path ? `${path}.${key}` : key, depth + 1, found);
}

/** class-validator on every input (docs/api.md, "Errors"): unknown properties rejected, nothing coerced silently. */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only client input: custom parameter decorators (the principal, the GraphQL context) are ours.
    const nul = metadata.type === 'custom' ? [] : nulCharacterFields(value);
    if (nul.length) throw ApiError.badInput(nul);
    return super.transform(value, metadata);
  }

  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    return validateInput(object, options ?? {});
  }
}

/**
 * class-transformer for the pipe, with each input object (JSON from a request) built by plainToInput:
 * the same instance, without class-transformer's metadata searches per property (a command's largest
 * part of validation). Anything else, or any call with options, goes to class-transformer itself.
 */
const inputTransformer: NonNullable<ValidationPipeOptions['transformerPackage']> = {
  plainToInstance: (cls, plain, options) =>
    options === undefined && typeof plain === 'object' && plain !== null
      ? (plainToInput(cls as new () => object, plain as Record<string, unknown>) as never)
      : plainToInstance(cls, plain, options),
  classToPlain: instanceToPlain,
};

export const inputValidationPipe = new InputValidationPipe({
  transformerPackage: inputTransformer,
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validateCustomDecorators: false,
  stopAtFirstError: false,
  exceptionFactory: (errors) => ApiError.badInput(toFieldErrors(errors)),
});
