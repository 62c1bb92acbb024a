import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Access } from '../auth/access.decorator';
import { ApiError } from '../errors/api-error.types';
import { EVENT_STORE, EventStore, StreamNotFoundError } from '../../event-store/event-store.port';
import { decodeCursor, encodeCursor, pageSize } from '../relay.types';
import { EventConnection } from './history.types';

/** The audit trail (docs/domain.md, "Streams and time"): a stream's events with their metadata, never changed. */
@Resolver()
export class HistoryResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Query(() => EventConnection)
  @Access('complianceRead')
  async history(
    @Args('streamId', { type: () => ID }) streamId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<EventConnection> {
    const size = pageSize(first);
    const afterKey = decodeCursor(after);
    const fromRevision = afterKey === undefined ? 0 : Number(afterKey) + 1;
    if (!Number.isInteger(fromRevision) || fromRevision < 0) {
      throw ApiError.badInput([{ field: 'after', message: 'is not a cursor returned by this API' }]);
    }
    const last = await this.store.streamRevision(streamId);
    if (last === null) throw new ApiError('NOT_FOUND', `Stream ${streamId} does not exist`);
    let events: Awaited<ReturnType<EventStore['readStream']>> = [];
    if (size > 0 && fromRevision <= last) {
      try {
        events = await this.store.readStream(streamId, { fromRevision, maxCount: size });
      } catch (error) {
        if (!(error instanceof StreamNotFoundError)) throw error;
      }
    }
    const edges = events.map((e) => ({
      cursor: encodeCursor(e.revision),
      node: {
        eventId: e.eventId,
        type: e.type,
        streamId: e.streamId,
        revision: e.revision,
        position: e.position,
        effectiveAt: e.metadata.effectiveAt,
        recordedAt: e.recordedAt,
        actor: e.metadata.actor,
        source: e.metadata.source,
        commandId: e.metadata.commandId,
        correlationId: e.metadata.correlationId ?? null,
        schemaVersion: e.metadata.schemaVersion,
        data: e.data,
      },
    }));
    const lastShown = edges.length ? edges[edges.length - 1].node.revision : fromRevision - 1;
    return {
      edges,
      pageInfo: { hasNextPage: lastShown < last, endCursor: edges.length ? edges[edges.length - 1].cursor : (after ?? null) },
      totalCount: last + 1,
    };
  }
}
