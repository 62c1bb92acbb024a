import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { DataCategory, PlacementRole, ResidencyOutcome } from '../domain/residency.types';
import { DATA_CATEGORIES } from '../domain/workload.enums';
import { DataCategoryEnum, PlacementRoleEnum, ResidencyOutcomeEnum } from '../residency-enums.graphql';
import { DateTimeScalar, parseDateTime } from '../../platform/api/scalars/date-time.scalar';
import { IsCountryCode, IsDateTimeString } from '../../platform/api/validation/field.validators';
import type { ResidencyFilter } from './residency-views.reader';

/** GraphQL shapes of `residencyReport` (docs/api.md, "GraphQL overview"); the REST reports answer the same object. */

@ObjectType()
export class Evidence {
  @Field(() => ID) eventId: string;
  @Field() type: string;
  @Field(() => ID) streamId: string;
  @Field(() => DateTimeScalar) effectiveAt: string;
  @Field(() => DateTimeScalar) recordedAt: string;
  @Field() actor: string;
}

@ObjectType()
export class ResidencyRow {
  @Field(() => ID) workloadId: string;
  @Field() tenant: string;
  @Field(() => DataCategoryEnum) dataCategory: DataCategory;
  @Field(() => ID) popId: string;
  @Field() popCode: string;
  @Field() countryCode: string;
  @Field(() => PlacementRoleEnum) role: PlacementRole;
  @Field(() => DateTimeScalar) placedAt: string;
  @Field(() => ID, { nullable: true, description: 'null on an UNASSESSED row' }) policyId: string | null;
  @Field(() => ResidencyOutcomeEnum) outcome: ResidencyOutcome;
  @Field() reason: string;
  @Field(() => [Evidence], { description: 'Workload registration, placement, PoP registration, policy definition' })
  evidence: Evidence[];
}

@ObjectType()
export class CountryResidencySummary {
  @Field() countryCode: string;
  @Field(() => Int) compliant: number;
  @Field(() => Int) violations: number;
  @Field(() => Int) unassessed: number;
}

@ObjectType()
export class ResidencySummary {
  @Field(() => Int) compliant: number;
  @Field(() => Int) violations: number;
  @Field(() => Int) unassessed: number;
  @Field(() => [CountryResidencySummary]) byCountry: CountryResidencySummary[];
}

@ObjectType()
export class ResidencyReport {
  @Field(() => DateTimeScalar) asOf: string;
  @Field(() => DateTimeScalar) generatedAt: string;
  @Field(() => [ResidencyRow]) rows: ResidencyRow[];
  @Field(() => ResidencySummary) summary: ResidencySummary;
}

/**
 * The filters, as GraphQL arguments and as REST query parameters (where no scalar has parsed
 * `asOf` yet, hence its own check).
 */
@ArgsType()
export class ResidencyReportArgs {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Effective time (default now)' })
  @IsOptional()
  @IsDateTimeString()
  asOf?: string;

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 200) tenant?: string;

  @Field(() => DataCategoryEnum, { nullable: true })
  @IsOptional()
  @IsIn(DATA_CATEGORIES, { message: `dataCategory must be one of ${DATA_CATEGORIES.join(', ')}` })
  dataCategory?: DataCategory;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' }) @IsOptional() @IsCountryCode() countryCode?: string;
}

/** The filter of validated arguments: asOf canonical (default now), absent filters null. */
export function residencyFilter(args: ResidencyReportArgs): ResidencyFilter {
  return {
    asOf: args.asOf == null ? new Date().toISOString() : parseDateTime(args.asOf),
    tenant: args.tenant ?? null,
    dataCategory: args.dataCategory ?? null,
    countryCode: args.countryCode ?? null,
  };
}
