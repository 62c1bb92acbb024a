import { Field, Float, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { OPERATOR_MODELS, OperatorModel, POP_KINDS, PopKind } from '../domain/pop.enums';
import { OperatorModelEnum, PopKindEnum } from '../inventory-enums.graphql';
import { CommandInput } from '../../platform/api/command.input';
import { MoneyInput } from '../../platform/api/money.graphql';
import { IsCountryCode, IsEntityId } from '../../platform/api/validation/field.validators';

@InputType({ isAbstract: true })
export abstract class PopCommandInput extends CommandInput {
  @Field(() => ID)
  @IsEntityId()
  popId: string;
}

@InputType()
export class RegisterPopInput extends PopCommandInput {
  @Field() @IsEntityId({ message: 'code must be 1-64 characters of A-Z a-z 0-9 . _ : -' }) code: string;
  @Field() @IsString() @Length(1, 200) name: string;
  @Field(() => PopKindEnum) @IsIn(POP_KINDS) kind: PopKind;
  @Field(() => OperatorModelEnum) @IsIn(OPERATOR_MODELS) operatorModel: OperatorModel;
  @Field({ description: 'ISO 3166-1 alpha-2' }) @IsCountryCode() countryCode: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) city?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) region?: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(-90) @Max(90) latitude?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(-180) @Max(180) longitude?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) provider?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) cloudRegion?: string;
  @Field(() => MoneyInput, { nullable: true, description: 'Monthly cloud cost of a VIRTUAL PoP' })
  @IsOptional() @ValidateNested() @Type(() => MoneyInput) monthlyCost?: MoneyInput;
}

/* Lifecycle transitions carry only the PoP; each mutation still gets its own `<Mutation>Input` type. */
@InputType()
export class StartBuildOutInput extends PopCommandInput {}

@InputType()
export class ActivatePopInput extends PopCommandInput {}

@InputType()
export class StartDecommissionInput extends PopCommandInput {}

@InputType()
export class ClosePopInput extends PopCommandInput {}
