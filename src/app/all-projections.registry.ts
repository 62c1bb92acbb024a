import { accessProjections } from '../access';
import { costProjections } from '../cost';
import { inventoryProjections } from '../inventory';
import { outboundProjections } from '../outbound';
import { residencyProjections } from '../residency';
import { scenariosProjections } from '../scenarios';
import { AppConfig } from '../platform/config/app.config';
import { Projection } from '../platform/projections/projection.port';

/**
 * Every read model of the service, in the order they are reported and applied to a batch. The outbox
 * comes last: it reads what the planning and residency read models wrote in the same transaction.
 */
export function allProjections(config: Pick<AppConfig, 'CAPACITY_WARN_PERCENT' | 'CAPACITY_CRITICAL_PERCENT'>): Projection[] {
  return [...inventoryProjections, ...costProjections, ...residencyProjections, ...accessProjections, ...scenariosProjections, ...outboundProjections(config)];
}
