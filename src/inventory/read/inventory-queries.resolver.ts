import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, ID, Info, Int, Query, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo, Kind, SelectionNode } from 'graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import type { AuthenticatedRequest } from '../../platform/api/auth/auth.guard';
import { ApiError } from '../../platform/api/errors/api-error.types';
import { keptItemList } from '../../platform/api/http/kept-answer-bytes.util';
import { CapacityResource } from '../domain/pop.enums';
import { CapacityResourceEnum } from '../inventory-enums.graphql';
import { decodeCursor, pageSize } from '../../platform/api/relay.types';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import { GetCapacityForecastQuery } from './capacity-forecast.query';
import { FindCapacityQuery } from './find-capacity.query';
import { CapacityDetails, GetCapacityQuery } from './get-capacity.query';
import { GetPopQuery } from './get-pop.query';
import { ListPopsQuery, parsePopCursor } from './list-pops.query';
import { CapacityNeedInput, PopFilterInput } from './pop-queries.input';
import { CapacityForecast, Pop, PopCapacity, PopConnection } from './pop.types';

/** The planning queries (docs/api.md, "GraphQL overview"): PoPs, capacity at any effective time, and forecasts. */
@Resolver()
export class InventoryQueriesResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query(() => Pop, { nullable: true, description: 'A PoP with its status at asOf (default now); null when unknown' })
  @Access('planningRead')
  pop(
    @Args('popId', { type: () => ID }) popId: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string,
  ): Promise<Pop | null> {
    return this.queries.execute(new GetPopQuery(popId, asOf ?? now()));
  }

  @Query(() => PopConnection, { description: 'PoPs ordered by code then popId' })
  @Access('planningRead')
  pops(
    @Args('filter', { type: () => PopFilterInput, nullable: true }) filter?: PopFilterInput,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string,
  ): Promise<PopConnection> {
    const size = pageSize(first);
    const decoded = decodeCursor(after);
    const cursor = decoded === undefined ? null : parsePopCursor(decoded);
    if (decoded !== undefined && cursor === null) throw ApiError.badInput([{ field: 'after', message: 'is not a cursor returned by this API' }]);
    return this.queries.execute(new ListPopsQuery(filter ?? {}, size, cursor, asOf ?? now()));
  }

  @Query(() => PopCapacity, { nullable: true, description: 'Space, power and network capacity at asOf (default now); null when unknown' })
  @Access('planningRead')
  capacity(
    @Info() info: GraphQLResolveInfo,
    @Args('popId', { type: () => ID }) popId: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string,
  ): Promise<PopCapacity | null> {
    return this.queries.execute(new GetCapacityQuery(popId, asOf ?? now(), detailsOf(info)));
  }

  /** Kept PoPs (FindCapacityHandler) are sent as the JSON texts written from them for the same selection. */
  @Query(() => [PopCapacity], { description: 'PoPs whose headroom covers every amount asked for, most headroom first' })
  @Access('planningRead')
  async findCapacity(
    @Info() info: GraphQLResolveInfo,
    @Context('req') request: AuthenticatedRequest | undefined,
    @Args('need', { type: () => CapacityNeedInput, nullable: true }) need?: CapacityNeedInput,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string,
  ): Promise<PopCapacity[]> {
    const details = { ...detailsOf(info), asOf: selects(info, ['asOf']) };
    return keptItemList(request, info, await this.queries.execute(new FindCapacityQuery(need ?? {}, asOf ?? now(), details)));
  }

  @Query(() => CapacityForecast, { nullable: true, description: 'Trend of the last 365 days; null when the PoP is unknown' })
  @Access('planningRead')
  capacityForecast(
    @Args('popId', { type: () => ID }) popId: string,
    @Args('resource', { type: () => CapacityResourceEnum }) resource: CapacityResource,
  ): Promise<CapacityForecast | null> {
    return this.queries.execute(new GetCapacityForecastQuery(popId, resource, now()));
  }
}

function now(): string {
  return new Date().toISOString();
}

/** Which costly parts of a PopCapacity the query selects. */
function detailsOf(info: GraphQLResolveInfo): CapacityDetails {
  return { racks: selects(info, ['space', 'racks']), byType: selects(info, ['network', 'byType']) };
}

/** Whether the query selects the field at `path` below the current one (through fragments too). */
function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const walk = (selections: readonly SelectionNode[], depth: number): boolean =>
    selections.some((node) => {
      if (node.kind === Kind.FIELD) {
        return node.name.value === path[depth] && (depth === path.length - 1 || walk(node.selectionSet?.selections ?? [], depth + 1));
      }
      const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : info.fragments[node.name.value];
      return fragment !== undefined && walk(fragment.selectionSet.selections, depth);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet?.selections ?? [], 0));
}
