import { accessProjections } from '../access';
import { costProjections } from '../cost';
import { inventoryProjections } from '../inventory';
import { residencyProjections } from '../residency';
import { scenariosProjections } from '../scenarios';
import { Projection } from '../platform/projections/projection.port';

/** Every read model of the service, in the order they are reported. */
export function allProjections(): Projection[] {
  return [...inventoryProjections, ...costProjections, ...residencyProjections, ...accessProjections, ...scenariosProjections];
}
