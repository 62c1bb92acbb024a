import { graphqlEnum } from '../platform/api/graphql-enum.util';
import { COST_CATEGORIES, COST_GROUP_BYS } from './domain/cost.enums';

export const CostCategoryEnum = graphqlEnum('CostCategory', COST_CATEGORIES);
export const CostGroupByEnum = graphqlEnum('CostGroupBy', COST_GROUP_BYS);
