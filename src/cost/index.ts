/**
 * Cost and FX: recurring and one-off cost of every PoP, exchange-rate sets and conversions.
 * The only way in from other features, the tools and the composition root.
 */
export { CostModule, costProjections } from './cost.module';
export { FX_STREAM } from './domain/fx.streams';
export { fxDecider } from './domain/fx.decider';
export { popCostAt } from './domain/pop-cost-at.math';
export type { PopCostFigures, PopCostRecords, UnitCostDenominators } from './domain/pop-cost-at.math';
export { PopCost } from './read/cost.types';
