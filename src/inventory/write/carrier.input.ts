import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { CIRCUIT_TYPES, CircuitType } from '../domain/pop.enums';
import { CircuitTypeEnum } from '../inventory-enums.graphql';
import { MoneyInput } from '../../platform/api/money.graphql';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { PopCommandInput } from './pop-lifecycle.input';

@InputType()
export class ConnectCarrierInput extends PopCommandInput {
  @Field() @IsEntityId() circuitId: string;
  @Field() @IsString() @Length(1, 200) carrier: string;
  @Field(() => CircuitTypeEnum) @IsIn(CIRCUIT_TYPES) type: CircuitType;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000_000) bandwidthMbps: number;
  @Field(() => MoneyInput) @ValidateNested() @Type(() => MoneyInput) monthlyCost: MoneyInput;
  @Field(() => MoneyInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => MoneyInput) oneOffCost?: MoneyInput;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(600) termMonths?: number;
}

@InputType()
export class DisconnectCarrierInput extends PopCommandInput {
  @Field() @IsEntityId() circuitId: string;
}
