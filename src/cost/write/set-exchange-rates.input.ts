import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, ValidateBy, ValidateNested } from 'class-validator';
import { CommandInput } from '../../platform/api/command.input';
import { DecimalScalar } from '../../platform/api/scalars/decimal.scalar';
import { IsCurrencyCode, IsPositiveDecimal } from '../../platform/api/validation/field.validators';

@InputType()
export class ExchangeRateInput {
  @Field({ description: 'ISO 4217 code' }) @IsCurrencyCode() currency: string;
  @Field(() => DecimalScalar, { description: '1 <currency> = toBase <base>' }) @IsPositiveDecimal() toBase: string;
}

/** The base is 1 by definition: listing it among the rates would be a second, conflicting rate. */
const NotListingBase = () =>
  ValidateBy({
    name: 'notListingBase',
    validator: {
      validate: (rates: unknown, args) =>
        !Array.isArray(rates) || !rates.some((rate) => (rate as ExchangeRateInput | null)?.currency === (args?.object as SetExchangeRatesInput).base),
      defaultMessage: () => 'rates must not include the base currency',
    },
  });

/** `setExchangeRates` (docs/domain.md, "Cost formulas"): appends ExchangeRatesSet to the `fx-rates` stream. */
@InputType()
export class SetExchangeRatesInput extends CommandInput {
  @Field({ description: 'ISO 4217 code the rates are expressed in' }) @IsCurrencyCode() base: string;

  @Field(() => [ExchangeRateInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique((rate: ExchangeRateInput) => rate?.currency, { message: 'rates must not list a currency twice' })
  @NotListingBase()
  @ValidateNested({ each: true })
  @Type(() => ExchangeRateInput)
  rates: ExchangeRateInput[];
}
