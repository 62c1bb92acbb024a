import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { ProjectionEngine } from '../../platform/projections/projection.engine';
import { inventoryProjection } from './inventory.projection';
import { GetRackElevationQuery, RackElevationRead } from './rack-elevation.query';
import { renderRackElevation } from './rack-elevation.svg';

export interface RenderedElevation {
  svg: string;
  /** Strong entity tag of `svg`. */
  etag: string;
}

export type ElevationAnswer = Exclude<RackElevationRead, { found: true }> | ({ found: true } & RenderedElevation);

/** Characters of SVG kept at most (a 48 U rack holding 19 devices draws about 9,600). */
export const ELEVATION_CACHE_CHARS = 8 * 1024 * 1024;

/**
 * Rack elevations drawn from the inventory read model, the drawings kept in an LRU bounded by their
 * total size. The key holds the position the inventory projection had reached before the rows were
 * read, so a drawing is never older than its key, and any newly projected event moves the key on (the
 * old entries then age out). Only explicit instants are cached: "now" is a new instant on every call.
 */
@Injectable()
export class RackElevationService {
  private readonly cache = new LRUCache<string, RenderedElevation>({
    maxSize: ELEVATION_CACHE_CHARS,
    sizeCalculation: ({ svg }) => svg.length,
  });

  constructor(
    private readonly queries: QueryBus,
    private readonly projections: ProjectionEngine,
  ) {}

  async elevation(popId: string, rackId: string, asOf: string | undefined): Promise<ElevationAnswer> {
    if (asOf === undefined) return this.draw(popId, rackId, new Date().toISOString());
    const position = await this.projections.projectedPosition(inventoryProjection.name);
    const key = JSON.stringify([popId, rackId, asOf, position]);
    const cached = this.cache.get(key);
    if (cached) return { found: true, ...cached };
    const answer = await this.draw(popId, rackId, asOf);
    if (answer.found) this.cache.set(key, { svg: answer.svg, etag: answer.etag });
    return answer;
  }

  private async draw(popId: string, rackId: string, asOf: string): Promise<ElevationAnswer> {
    const read = await this.queries.execute(new GetRackElevationQuery(popId, rackId, asOf));
    if (!read.found) return read;
    const svg = renderRackElevation(read.rack);
    return { found: true, svg, etag: `"${createHash('sha256').update(svg).digest('base64url').slice(0, 27)}"` };
  }
}
