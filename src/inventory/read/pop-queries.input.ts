import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { POP_KINDS, POP_STATUSES, PopKind, PopStatus } from '../domain/pop.enums';
import { GROUP_NAMES, GroupName } from '../../kernel/country-groups.util';
import { PopKindEnum, PopStatusEnum } from '../inventory-enums.graphql';
import { IsCountryCode } from '../../platform/api/validation/field.validators';

/** Filters of `pops`: each given list must match (values within a list are alternatives). */
@InputType()
export class PopFilterInput {
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(300) @IsCountryCode({ each: true })
  countryCodes?: string[];

  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(300) @IsString({ each: true }) @Length(1, 200, { each: true })
  regions?: string[];

  @Field(() => [PopStatusEnum], { nullable: true, description: 'Status at asOf' }) @IsOptional() @IsArray() @IsIn(POP_STATUSES, { each: true })
  statuses?: PopStatus[];

  @Field(() => [PopKindEnum], { nullable: true }) @IsOptional() @IsArray() @IsIn(POP_KINDS, { each: true })
  kinds?: PopKind[];

  @Field({ nullable: true, description: 'Case-insensitive substring of code, name or city' }) @IsOptional() @IsString() @Length(1, 200)
  search?: string;
}

/**
 * What `findCapacity` looks for: PoPs whose headroom covers every amount given, located in one of
 * `countryCodes` or in a member country of one of `countryGroups` (at asOf's date), in one of
 * `regions`, with a status (at asOf) among `statuses`.
 */
@InputType()
export class CapacityNeedInput {
  @Field(() => Int, { nullable: true, description: 'Free U needed' }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000)
  spaceU?: number;

  @Field(() => Float, { nullable: true, description: 'Power headroom needed (kW)' }) @IsOptional() @IsNumber() @Min(0) @Max(10_000_000)
  powerKw?: number;

  @Field(() => Int, { nullable: true, description: 'Bandwidth headroom needed (Mbps)' }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000)
  bandwidthMbps?: number;

  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(300) @IsCountryCode({ each: true })
  countryCodes?: string[];

  @Field(() => [String], { nullable: true, description: `Country groups: ${GROUP_NAMES.join(', ')}` })
  @IsOptional() @IsArray() @ArrayMaxSize(10)
  @IsIn(GROUP_NAMES, { each: true, message: `each value in countryGroups must be one of ${GROUP_NAMES.join(', ')}` })
  countryGroups?: GroupName[];

  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(300) @IsString({ each: true }) @Length(1, 200, { each: true })
  regions?: string[];

  @Field(() => [PopStatusEnum], { nullable: true, description: 'Status at asOf' }) @IsOptional() @IsArray() @IsIn(POP_STATUSES, { each: true })
  statuses?: PopStatus[];
}
