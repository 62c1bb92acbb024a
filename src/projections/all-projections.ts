import { costProjections } from '../cost/cost.module';
import { planningProjections } from '../planning/planning.module';
import { residencyProjections } from '../residency/residency.module';
import { Projection } from './projection';

/** Every read model of the service, in the order they are reported. */
export function allProjections(): Projection[] {
  return [...planningProjections, ...costProjections, ...residencyProjections];
}
