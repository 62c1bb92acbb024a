import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldError } from '../common/api-error';

/** Flattens class-validator errors into `extensions.fields` entries such as `monthlyCost.amount`. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** class-validator on every input (DESIGN section 9): unknown properties rejected, nothing coerced silently. */
export const inputValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validateCustomDecorators: false,
  stopAtFirstError: false,
  exceptionFactory: (errors) => ApiError.badInput(toFieldErrors(errors)),
});
