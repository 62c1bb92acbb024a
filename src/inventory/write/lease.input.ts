import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { MoneyInput } from '../../platform/api/money.graphql';
import { DateScalar } from '../../platform/api/scalars/date.scalar';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { PopCommandInput } from './pop-lifecycle.input';

@InputType()
export class LeaseSiteInput extends PopCommandInput {
  @Field() @IsEntityId() leaseId: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) lessor?: string;
  @Field(() => DateScalar) @IsString() startsOn: string;
  @Field(() => DateScalar, { nullable: true, description: 'Last day of the lease (inclusive)' }) @IsOptional() endsOn?: string;
  @Field(() => MoneyInput) @ValidateNested() @Type(() => MoneyInput) monthlyCost: MoneyInput;
  @Field(() => MoneyInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => MoneyInput) oneOffCost?: MoneyInput;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) contractedPowerKw?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100_000) maxRacks?: number;
}

@InputType()
export class TerminateLeaseInput extends PopCommandInput {
  @Field() @IsEntityId() leaseId: string;
  @Field(() => DateScalar, { description: 'Last day of the lease (inclusive)' }) @IsString() endsOn: string;
}
