import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsCurrencyCode, IsDecimalAmount } from './validation/field.validators';
import { DecimalScalar } from './scalars/decimal.scalar';

@InputType()
export class MoneyInput {
  @Field(() => DecimalScalar)
  @IsDecimalAmount()
  amount: string;

  @Field({ description: 'ISO 4217 code' })
  @IsCurrencyCode()
  currency: string;
}

@ObjectType('Money')
export class MoneyObject {
  @Field(() => DecimalScalar) amount: string;
  @Field() currency: string;
}
