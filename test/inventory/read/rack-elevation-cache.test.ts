import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { QueryBus } from '@nestjs/cqrs';
import type { ProjectionEngine } from '../../../src/platform/projections/projection.engine';
import { GetRackElevationQuery, RackElevationRead } from '../../../src/inventory/read/rack-elevation.query';
import { ELEVATION_CACHE_CHARS, RackElevationService } from '../../../src/inventory/read/rack-elevation.service';

/** The cache of drawings, on a query bus and a projection engine that only count and answer. */
describe('rack elevation cache', () => {
  let reads: GetRackElevationQuery[];
  let position: string | null;
  let found: boolean;
  let service: RackElevationService;

  beforeEach(() => {
    reads = [];
    position = '00000000000000000001:00000000000000000007';
    found = true;
    const queries = {
      execute: async (query: GetRackElevationQuery): Promise<RackElevationRead> => {
        reads.push(query);
        if (!found) return { found: false, missing: 'rack' };
        // A full 60 U rack of 1 U devices with long names: a large drawing.
        const devices = Array.from({ length: 60 }, (_, i) => ({ deviceId: `d${i}`, name: `device ${i} ${'n'.repeat(150)}`, role: 'SERVER' as const, positionU: i + 1, heightU: 1 }));
        return { found: true, rack: { popId: query.popId, rackId: query.rackId, rackName: null, heightU: 60, asOf: query.asOf, devices } };
      },
    } as unknown as QueryBus;
    const engine = {
      projectedPosition: async (name: string) => {
        assert.equal(name, 'planning_inventory');
        return position;
      },
    } as unknown as ProjectionEngine;
    service = new RackElevationService(queries, engine);
  });

  const asOf = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString();

  it('draws an instant once per read-model position, and again once the position moves', async () => {
    const first = await service.elevation('p', 'r', asOf(0));
    const second = await service.elevation('p', 'r', asOf(0));
    assert.equal(reads.length, 1);
    assert.deepEqual(second, first);
    assert.ok(first.found);
    assert.match(first.svg, /^<\?xml /);
    assert.match(first.etag, /^"[A-Za-z0-9_-]{27}"$/);
    await service.elevation('p', 'r', asOf(1));
    await service.elevation('p', 'other', asOf(0));
    assert.equal(reads.length, 3);
    position = '00000000000000000001:00000000000000000008';
    await service.elevation('p', 'r', asOf(0));
    assert.equal(reads.length, 4);
  });

  it('draws "now" (no asOf) every time, at the current instant', async () => {
    const before = Date.now();
    await service.elevation('p', 'r', undefined);
    await service.elevation('p', 'r', undefined);
    assert.equal(reads.length, 2);
    for (const read of reads) assert.ok(Date.parse(read.asOf) >= before && Date.parse(read.asOf) <= Date.now(), read.asOf);
  });

  it('keeps no answer for a rack it could not find', async () => {
    found = false;
    assert.deepEqual(await service.elevation('p', 'r', asOf(0)), { found: false, missing: 'rack' });
    await service.elevation('p', 'r', asOf(0));
    assert.equal(reads.length, 2);
  });

  it('holds at most ELEVATION_CACHE_CHARS of drawings, dropping the least recently used', async () => {
    const first = await service.elevation('p', 'r', asOf(0));
    assert.ok(first.found);
    const fit = Math.floor(ELEVATION_CACHE_CHARS / first.svg.length);
    for (let day = 1; day <= fit; day++) await service.elevation('p', 'r', asOf(day));
    assert.equal(reads.length, fit + 1);
    // The newest `fit` drawings are kept; the oldest had to go.
    await service.elevation('p', 'r', asOf(fit));
    assert.equal(reads.length, fit + 1);
    await service.elevation('p', 'r', asOf(0));
    assert.equal(reads.length, fit + 2);
  });
});
