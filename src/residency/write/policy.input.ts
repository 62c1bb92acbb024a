import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { RESIDENCY_POLICY_KINDS, ResidencyPolicyKind } from '../domain/policy.enums';
import { GROUP_NAMES } from '../../kernel/country-groups.util';
import { DATA_CATEGORIES, DataCategory } from '../domain/workload.enums';
import { DataCategoryEnum, PolicyKindEnum } from '../residency-enums.graphql';
import { CommandInput } from '../../platform/api/command.input';
import { IsCountryCode, IsEntityId } from '../../platform/api/validation/field.validators';

@InputType({ isAbstract: true })
abstract class PolicyCommandInput extends CommandInput {
  @Field(() => ID) @IsEntityId() policyId: string;
}

@InputType()
export class DefineResidencyPolicyInput extends PolicyCommandInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field(() => PolicyKindEnum) @IsIn(RESIDENCY_POLICY_KINDS) kind: ResidencyPolicyKind;
  @Field(() => DataCategoryEnum) @IsIn(DATA_CATEGORIES) dataCategory: DataCategory;
  @Field({ nullable: true, description: 'Only this tenant; every tenant when null' }) @IsOptional() @IsString() @Length(1, 200) tenant?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsCountryCode({ each: true }) allowedCountries?: string[];
  @Field(() => [String], { nullable: true, description: `Country groups: ${GROUP_NAMES.join(', ')}` })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsIn(GROUP_NAMES, { each: true, message: `each value in allowedGroups must be one of ${GROUP_NAMES.join(', ')}` })
  allowedGroups?: string[];
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsCountryCode({ each: true }) deniedCountries?: string[];
  @Field({ nullable: true, description: 'Law, contract or decision the policy implements' }) @IsOptional() @IsString() @Length(1, 1000) citation?: string;
}

@InputType()
export class RetireResidencyPolicyInput extends PolicyCommandInput {}
