import { Matches, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { isAssignedCountryCode } from '../../../kernel/country-codes.util';
import { parseDateTime } from '../scalars/date-time.scalar';

export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Client-supplied identifiers: 1-64 of [A-Za-z0-9._:-] (docs/domain.md, "Streams and time"). */
export const IsEntityId = (options?: ValidationOptions) =>
  Matches(ID_PATTERN, { message: '$property must be 1-64 characters of A-Z a-z 0-9 . _ : -', ...options });

function rule(name: string, test: (value: unknown, args: ValidationArguments) => boolean, message: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name, target: target.constructor, propertyName, options: { message, ...options }, validator: { validate: test } });
}

/** ISO 3166-1 alpha-2 codes that are assigned (not XK, AN or other reserved codes). */
export const IsCountryCode = (options?: ValidationOptions) =>
  rule('isCountryCode', (v) => typeof v === 'string' && isAssignedCountryCode(v), '$property must be an assigned ISO 3166-1 alpha-2 country code, e.g. DE', options);

/**
 * A DateTime where no scalar has parsed it (REST query parameters): ISO 8601 with a time zone, a real
 * calendar date, 1900-9999. Parse the validated value with `parseDateTime` for its canonical UTC form.
 */
export const IsDateTimeString = (options?: ValidationOptions) =>
  rule(
    'isDateTime',
    (v) => {
      try {
        parseDateTime(v);
        return true;
      } catch {
        return false;
      }
    },
    '$property must be an ISO 8601 date-time with a time zone, e.g. 2027-03-01T09:00:00Z',
    options,
  );

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 currency codes, as Node's ICU knows them. */
export const IsCurrencyCode = (options?: ValidationOptions) =>
  rule('isCurrencyCode', (v) => typeof v === 'string' && CURRENCIES.has(v), '$property must be an ISO 4217 currency code, e.g. EUR', options);

/** Money and rates: a decimal string ≥ 0 with at most 4 decimals and a sane magnitude. */
export const IsDecimalAmount = (options?: ValidationOptions) =>
  rule('isDecimalAmount', (v) => typeof v === 'string' && /^\d{1,15}(\.\d{1,4})?$/.test(v), '$property must be a decimal string ≥ 0 with at most 4 decimals, e.g. "1250.50"', options);

/** A positive decimal (exchange rates). */
export const IsPositiveDecimal = (options?: ValidationOptions) =>
  rule('isPositiveDecimal', (v) => typeof v === 'string' && /^\d{1,15}(\.\d{1,10})?$/.test(v) && /[1-9]/.test(v), '$property must be a decimal string > 0, e.g. "1.0842"', options);

/** `until` after `from` and similar orderings of two ISO strings on one input. */
export const IsAfter = (other: string, options?: ValidationOptions) =>
  rule(
    'isAfter',
    (v, args) => {
      const before = (args.object as Record<string, unknown>)[other];
      return typeof v !== 'string' || typeof before !== 'string' || Date.parse(v) > Date.parse(before);
    },
    `$property must be after ${other}`,
    options,
  );
