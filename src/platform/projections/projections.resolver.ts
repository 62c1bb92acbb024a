import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access } from '../api/auth/access.decorator';
import { ApiError } from '../api/errors/api-error.types';
import { ProjectionEngine, RebuildInProgressError } from './projection.engine';
import { RebuildFailedError } from './projection.rebuild';
import { ProjectionStatusNode, RebuildResultNode } from './projection-status.types';

@Resolver()
export class ProjectionsResolver {
  constructor(private readonly engine: ProjectionEngine) {}

  @Query(() => [ProjectionStatusNode])
  @Access('planningRead')
  projectionStatus(): Promise<ProjectionStatusNode[]> {
    return this.engine.status();
  }

  /** Rebuilds read models into fresh tables and swaps them in; queries keep answering meanwhile. */
  @Mutation(() => RebuildResultNode)
  @Access('adminOnly')
  async rebuildProjections(@Args('names', { type: () => [String], nullable: true }) names?: string[]): Promise<RebuildResultNode> {
    const known = (await this.engine.status()).map((s) => s.name);
    const unknown = (names ?? []).filter((name) => !known.includes(name));
    if (unknown.length) throw ApiError.badInput([{ field: 'names', message: `unknown projection(s) ${unknown.join(', ')}; known: ${known.join(', ')}` }]);
    try {
      const result = await this.engine.rebuild(names);
      return { ...result, durationMs: Math.round(result.durationMs) };
    } catch (error) {
      // The live tables stay as they were in both cases; the message names the event that failed.
      if (error instanceof RebuildInProgressError || error instanceof RebuildFailedError) throw new ApiError('CONFLICT', error.message);
      throw error;
    }
  }
}
