import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional } from 'class-validator';
import { CostCategoryEnum, CostGroupByEnum } from '../graphql/enums';
import { Money } from '../graphql/inputs/money.input';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar';
import { IsCurrencyCode, IsEntityId } from '../validation/validators';
import { COST_GROUP_BYS, CostCategory, CostGroupBy } from './cost-categories';

/** GraphQL shapes of the cost queries (DESIGN section 8); amounts are exact decimal strings. */

@ObjectType()
export class CategoryCost {
  @Field(() => CostCategoryEnum) category: CostCategory;
  @Field(() => [Money]) monthlyRecurring: Money[];
}

@ObjectType()
export class PopCost {
  @Field(() => ID) popId: string;
  @Field(() => DateTimeScalar) asOf: string;
  @Field(() => [Money], { description: 'Monthly recurring cost at asOf, per currency' })
  monthlyRecurring: Money[];
  @Field(() => [CategoryCost], { description: 'LEASE, POWER, CONNECTIVITY, CLOUD, always all four' })
  byCategory: CategoryCost[];
  @Field(() => [Money], { description: 'One-off costs effective in the UTC calendar month containing asOf, per currency' })
  oneOff: Money[];
  @Field(() => Money, { nullable: true, description: 'Monthly recurring cost converted into `currency` (null without it)' })
  converted: Money | null;
  @Field(() => Money, { nullable: true }) costPerUsableKw: Money | null;
  @Field(() => Money, { nullable: true }) costPerU: Money | null;
  @Field(() => Money, { nullable: true }) costPerMbps: Money | null;
}

@ObjectType()
export class CostGroup {
  @Field({ description: 'popId, country code, region ("UNKNOWN" when none) or category' }) key: string;
  @Field(() => Int) popCount: number;
  @Field(() => [Money]) monthlyRecurring: Money[];
  @Field(() => Money, { nullable: true }) converted: Money | null;
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
