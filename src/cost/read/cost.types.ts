import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional } from 'class-validator';
import { CostCategoryEnum, CostGroupByEnum } from '../cost-enums.graphql';
import { MoneyObject } from '../../platform/api/money.graphql';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import { IsCurrencyCode, IsEntityId } from '../../platform/api/validation/field.validators';
import { COST_GROUP_BYS, CostCategory, CostGroupBy } from '../domain/cost.enums';

/** GraphQL shapes of the cost queries (docs/api.md, "GraphQL overview"); amounts are exact decimal strings. */

@ObjectType()
export class CategoryCost {
  @Field(() => CostCategoryEnum) category: CostCategory;
  @Field(() => [MoneyObject]) monthlyRecurring: MoneyObject[];
}

@ObjectType()
export class PopCost {
  @Field(() => ID) popId: string;
  @Field(() => DateTimeScalar) asOf: string;
  @Field(() => [MoneyObject], { description: 'Monthly recurring cost at asOf, per currency' })
  monthlyRecurring: MoneyObject[];
  @Field(() => [CategoryCost], { description: 'LEASE, POWER, CONNECTIVITY, CLOUD, always all four' })
  byCategory: CategoryCost[];
  @Field(() => [MoneyObject], { description: 'One-off costs effective in the UTC calendar month containing asOf, per currency' })
  oneOff: MoneyObject[];
  @Field(() => MoneyObject, { nullable: true, description: 'Monthly recurring cost converted into `currency` (null without it)' })
  converted: MoneyObject | null;
  @Field(() => MoneyObject, { nullable: true }) costPerUsableKw: MoneyObject | null;
  @Field(() => MoneyObject, { nullable: true }) costPerU: MoneyObject | null;
  @Field(() => MoneyObject, { nullable: true }) costPerMbps: MoneyObject | null;
}

@ObjectType()
export class CostGroup {
  @Field({ description: 'popId, country code, region ("UNKNOWN" when none) or category' }) key: string;
  @Field(() => Int) popCount: number;
  @Field(() => [MoneyObject]) monthlyRecurring: MoneyObject[];
  @Field(() => MoneyObject, { nullable: true }) converted: MoneyObject | null;
}

@ArgsType()
export abstract class CostAtArgs {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Effective time (default now)' })
  @IsOptional()
  asOf?: string;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code to convert into' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;
}

@ArgsType()
export class CostArgs extends CostAtArgs {
  @Field(() => ID) @IsEntityId() popId: string;
}

@ArgsType()
export class CostSummaryArgs extends CostAtArgs {
  @Field(() => CostGroupByEnum, { defaultValue: 'POP' }) @IsIn(COST_GROUP_BYS) groupBy: CostGroupBy;
}
