import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { keepItemBytes } from '../../platform/api/http/kept-answer-bytes.util';
import { AsOfAnswers } from '../../platform/projections/as-of-answers.util';
import { ProjectionEngine } from '../../platform/projections/projection.engine';
import { rackCapacity } from '../domain/pop-capacity-at.math';
import { PopStatus } from '../domain/pop.enums';
import { GroupName, membersAt } from '../../kernel/country-groups.util';
import { memoize } from '../../kernel/memoize.util';
import { nonEmpty, PopSelection, PopTotalsRead, readCircuitTypes, readRackTallies, readStepTotals } from './capacity.reader';
import { atInstant, CapacityDetails, popCapacity, thresholdsOf } from './get-capacity.query';
import { inventoryProjection } from './inventory.projection';
import { PopCapacity } from './pop.types';

/** What to look for (docs/api.md, "GraphQL overview"); an absent or empty list does not filter. */
export interface CapacityNeed {
  spaceU?: number | null;
  powerKw?: number | null;
  bandwidthMbps?: number | null;
  countryCodes?: string[] | null;
  countryGroups?: GroupName[] | null;
  regions?: string[] | null;
  statuses?: PopStatus[] | null;
}

/**
 * PoPs whose headroom covers every amount asked for, most headroom first: by the headroom of the
 * first resource asked for (spaceU, powerKw, bandwidthMbps in that order), then by popId.
 */
export class FindCapacityQuery extends Query<PopCapacity[]> {
  constructor(
    readonly need: CapacityNeed,
    readonly asOf: string,
    /** Racks and circuits by type each cost one more statement; without asOf, the kept PoPs are answered as they are. */
    readonly details: FindCapacityDetails = { racks: true, byType: true, asOf: true },
  ) {
    super();
  }
}

/** What findCapacity's selection asks for beyond the kept totals. */
export interface FindCapacityDetails extends CapacityDetails {
  /** False when the selection leaves each PoP's asOf out. */
  asOf?: boolean;
}

/** The figure that must cover each amount. */
const HEADROOM = {
  spaceU: (capacity: PopCapacity) => capacity.space.freeU,
  powerKw: (capacity: PopCapacity) => capacity.power.headroomKw,
  bandwidthMbps: (capacity: PopCapacity) => capacity.network.headroomMbps,
} as const;

type Resource = keyof typeof HEADROOM;

const RESOURCES = Object.keys(HEADROOM) as Resource[];

/**
 * Set-based: every PoP's totals at asOf from the capacity steps in one statement (an index probe per
 * PoP), kept while the inventory projection has not moved and no step or status change falls between
 * the instant they were read at and asOf (AsOfAnswers): planners ask about "now" all day, and the
 * network changes far less often than they ask. The selection, figures and headroom are then worked
 * out here; the racks and the circuits by type of the PoPs kept, when asked for, read in one statement each.
 */
@QueryHandler(FindCapacityQuery)
export class FindCapacityHandler implements IQueryHandler<FindCapacityQuery> {
  private readonly network: AsOfAnswers<KeptNetwork>;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    projections: ProjectionEngine,
  ) {
    this.network = new AsOfAnswers(projections, [inventoryProjection.name], 4);
  }

  async execute({ need, asOf, details }: FindCapacityQuery): Promise<PopCapacity[]> {
    const thresholds = thresholdsOf(this.config);
    const requested = RESOURCES.filter((resource) => need[resource] != null);
    const network = await this.network.get('pops', asOf, async () => {
      const { pops, until } = await readStepTotals(this.sql, asOf, {}, { until: true });
      return { value: new KeptNetwork(pops.map((pop) => ({ pop, capacity: popCapacity(pop, pop.totals, [], asOf, thresholds) }))), until };
    });
    const selected = selects(selectionOf(need, asOf));
    const { pops, headroom } = network.inOrder(requested[0] ?? 'none');
    const amounts = requested.map((resource) => ({ figures: headroom[resource], amount: need[resource] as number }));
    const found: KeptPop[] = [];
    for (let i = 0; i < pops.length; i++) {
      if (amounts.every(({ figures, amount }) => figures[i] >= amount) && selected(pops[i].pop)) found.push(pops[i]);
    }
    const ids = found.map(({ pop }) => pop.popId);
    if (ids.length === 0 || (!details.racks && !details.byType)) {
      // Unless asOf is selected, the kept PoPs themselves: the same objects while the network is kept, so
      // their JSON texts can be kept with them (keptItemList).
      return found.map(({ capacity }) => (details.asOf === false ? capacity : atInstant(capacity, asOf)));
    }
    const [racks, byType] = await Promise.all([
      details.racks ? readRackTallies(this.sql, asOf, ids) : undefined,
      details.byType ? readCircuitTypes(this.sql, asOf, ids) : undefined,
    ]);
    return found.map(({ pop }) => {
      const totals = { ...pop.totals, circuitTypes: byType?.get(pop.popId) ?? [] };
      return popCapacity(pop, totals, (racks?.get(pop.popId) ?? []).map(rackCapacity), asOf, thresholds);
    });
  }
}

interface KeptPop {
  pop: PopTotalsRead;
  capacity: PopCapacity;
}

/**
 * The network's PoPs as kept, by popId, and by each resource's headroom (most first, then popId) once asked
 * for: sorted once per kept answer rather than once per request, so a request only filters.
 */
class KeptNetwork {
  /**
   * The PoPs in one order (none: as kept) with each resource's headroom in that order, side by side in
   * arrays: a request's filter reads them in a row, where reading them off each PoP's figures took about
   * a third of a request's CPU on 10,000 PoPs.
   */
  readonly inOrder = memoize((order: Resource | 'none'): { pops: readonly KeptPop[]; headroom: Record<Resource, Float64Array> } => {
    const pops = order === 'none' ? this.pops : [...this.pops].sort((a, b) => HEADROOM[order](b.capacity) - HEADROOM[order](a.capacity) || byCodePoint(a.pop.popId, b.pop.popId));
    const headroom = Object.fromEntries(RESOURCES.map((resource) => [resource, Float64Array.from(pops, ({ capacity }) => HEADROOM[resource](capacity))]));
    return { pops, headroom: headroom as Record<Resource, Float64Array> };
  });

  constructor(readonly pops: readonly KeptPop[]) {
    keepItemBytes(pops.map(({ capacity }) => capacity));
  }
}

/** Countries: the ones listed and the members of the groups listed on asOf's date. */
function selectionOf(need: CapacityNeed, asOf: string): PopSelection {
  const groups = nonEmpty(need.countryGroups);
  const countryCodes =
    nonEmpty(need.countryCodes) || groups
      ? [...new Set([...(need.countryCodes ?? []), ...(groups ?? []).flatMap((group) => membersAt(group, asOf.slice(0, 10)).map((member) => member.country))])]
      : undefined;
  return { countryCodes, regions: nonEmpty(need.regions), statuses: nonEmpty(need.statuses) };
}

/** Whether a PoP is one of the selection (as PopFilter selects in SQL). */
function selects({ countryCodes, regions, statuses }: PopSelection): (pop: PopTotalsRead) => boolean {
  const countries = countryCodes && new Set(countryCodes);
  return (pop) =>
    (!countries || countries.has(pop.countryCode)) &&
    (!regions || (pop.region !== null && regions.includes(pop.region))) &&
    (!statuses || statuses.includes(pop.status));
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
