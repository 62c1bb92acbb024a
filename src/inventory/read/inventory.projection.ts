import { SqlQueryable } from '../../platform/database/sql-client.port';
import { feedKw } from '../domain/capacity.math';
import { CapacityResource, FeedSide, POP_STATUSES, PopStatus } from '../domain/pop.enums';
import { POP_EVENT_TYPES, PopEvent } from '../domain/pop.events';
import { DAY_MS, dayStart, isoOf } from '../../kernel/time.util';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection, TableNames } from '../../platform/projections/projection.port';
import {
  addRackChanges, newPopSteps, newRackSteps, POP_STEP_TABLE, RACK_STEP_TABLE, readRackCaps, RESERVED_COLUMN,
} from './capacity-steps.table';
import { Ends, Inserts, ItemInserts } from '../../platform/projections/table-writes.sql';

/**
 * The PoP inventory as of any effective time. Every item is one row with its effective interval
 * [valid_from, valid_to) (valid_to NULL: open), so a back-dated or planned event only sets a
 * bound and queries filter by `asOf`. Lifecycle transitions are rows of `rm_pop_status`, one per
 * status reached (the lifecycle never goes back): the status at t is the highest one effective by t.
 * The PoPs' capacity totals are also kept as step functions (capacity-steps.table.ts) for queries over
 * many PoPs. A batch is a fixed number of multi-row statements, whatever its size.
 */

export const INVENTORY_TABLES = {
  pop: 'rm_pop',
  status: 'rm_pop_status',
  lease: 'rm_lease',
  rack: 'rm_rack',
  feed: 'rm_feed',
  device: 'rm_device',
  circuit: 'rm_circuit',
  reservation: 'rm_reservation',
} as const;

const T = INVENTORY_TABLES;

/** Rank of a status in lifecycle order (0 = PLANNED, which needs no row). */
export function statusRank(status: PopStatus): number {
  return POP_STATUSES.indexOf(status);
}

const TRANSITIONS: Partial<Record<PopEvent['type'], PopStatus>> = {
  SiteLeased: 'LEASED',
  BuildOutStarted: 'BUILDING',
  PopActivated: 'LIVE',
  DecommissionStarted: 'DECOMMISSIONING',
  PopClosed: 'CLOSED',
};


type Ended = { pop_id: string; at: Date | string };

/** One batch's writes, gathered event by event in log order. */
class InventoryBatch {
  readonly pops = new Inserts(T.pop, {
    pop_id: 'text', code: 'text', name: 'text', kind: 'text', operator_model: 'text', country_code: 'text', city: 'text',
    region: 'text', latitude: 'float8', longitude: 'float8', provider: 'text', cloud_region: 'text', registered_at: 'timestamptz',
  });
  readonly statuses = new Inserts(T.status, { pop_id: 'text', rank: 'int', effective_at: 'timestamptz' });
  readonly leases = new Inserts(T.lease, { pop_id: 'text', lease_id: 'text', contracted_power_kw: 'float8', valid_from: 'timestamptz', valid_to: 'timestamptz' });
  readonly leaseEnds = new Ends<{ pop_id: string; contracted_power_kw: number | null; old_to: Date | null; new_to: Date }>(
    T.lease, 'lease_id', 'r.pop_id, r.contracted_power_kw, o.valid_to AS old_to, r.valid_to AS new_to', { old: true },
  );
  readonly racks = new ItemInserts<{ heightU: number }>(T.rack, {
    pop_id: 'text', rack_id: 'text', name: 'text', height_u: 'int', max_power_kw: 'float8', valid_from: 'timestamptz', valid_to: 'timestamptz',
  });
  /** maxPowerKw of the racks installed in this batch (the others are read when their steps change). */
  readonly caps = new Map<string, number | null>();
  readonly rackEnds = new Ends<Ended & { height_u: number }>(T.rack, 'rack_id', 'r.pop_id, r.valid_to AS at, r.height_u');
  readonly feeds = new ItemInserts<{ rackId: string; side: FeedSide; kw: number }>(T.feed, {
    pop_id: 'text', feed_id: 'text', rack_id: 'text', side: 'text', kw: 'float8', valid_from: 'timestamptz', valid_to: 'timestamptz',
  });
  readonly feedEnds = new Ends<Ended & { rack_id: string; side: FeedSide; kw: number }>(T.feed, 'feed_id', 'r.pop_id, r.valid_to AS at, r.rack_id, r.side, r.kw');
  readonly devices = new ItemInserts<{ heightU: number; drawKw: number }>(T.device, {
    pop_id: 'text', device_id: 'text', rack_id: 'text', name: 'text', role: 'text', position_u: 'int', height_u: 'int', draw_kw: 'float8',
    valid_from: 'timestamptz', valid_to: 'timestamptz',
  });
  readonly deviceEnds = new Ends<Ended & { height_u: number; draw_kw: number }>(T.device, 'device_id', 'r.pop_id, r.valid_to AS at, r.height_u, r.draw_kw');
  readonly circuits = new ItemInserts<{ bandwidthMbps: number }>(T.circuit, {
    pop_id: 'text', circuit_id: 'text', type: 'text', bandwidth_mbps: 'float8', valid_from: 'timestamptz', valid_to: 'timestamptz',
  });
  readonly circuitEnds = new Ends<Ended & { bandwidth_mbps: number }>(T.circuit, 'circuit_id', 'r.pop_id, r.valid_to AS at, r.bandwidth_mbps');
  readonly reservations = new Inserts(T.reservation, {
    pop_id: 'text', reservation_id: 'text', resource: 'text', amount: 'float8', valid_from: 'timestamptz', until_at: 'timestamptz', valid_to: 'timestamptz',
  });
  /** Released at t: present on [from, min(until, t)), empty when t precedes from (the domain's rule). */
  readonly releases = new Ends<{ pop_id: string; resource: CapacityResource; amount: number; old_to: Date | null; new_to: Date }>(
    T.reservation,
    'reservation_id',
    'r.pop_id, r.resource, r.amount, o.valid_to AS old_to, r.valid_to AS new_to',
    { old: true, set: 'valid_to = greatest(r.valid_from, least(u.at, coalesce(r.until_at, u.at)))' },
  );
  readonly popSteps = newPopSteps();
  readonly rackSteps = newRackSteps();

  add(event: PopEvent): void {
    const at = event.effectiveAt;
    const status = TRANSITIONS[event.type];
    if (status) this.statuses.add(event.data.popId, statusRank(status), at);
    switch (event.type) {
      case 'PopRegistered': {
        const d = event.data;
        this.pops.add(d.popId, d.code, d.name, d.kind, d.operatorModel, d.countryCode, d.city, d.region, d.latitude, d.longitude, d.provider, d.cloudRegion, at);
        return;
      }
      case 'SiteLeased': {
        const d = event.data;
        const [from, to] = [isoOf(dayStart(d.startsOn)), endOfDay(d.endsOn)];
        this.leases.add(d.popId, d.leaseId, d.contractedPowerKw, from, to);
        if (d.contractedPowerKw !== null) this.contract(d.popId, d.contractedPowerKw, from, to);
        return;
      }
      case 'LeaseTerminated':
        this.leaseEnds.add(event.data.popId, event.data.leaseId, endOfDay(event.data.endsOn) as string);
        return;
      case 'RackInstalled': {
        const d = event.data;
        this.racks.addItem(key(d.popId, d.rackId), d, d.popId, d.rackId, d.name, d.heightU, d.maxPowerKw, at);
        this.caps.set(key(d.popId, d.rackId), d.maxPowerKw);
        this.popSteps.add([d.popId], at, { total_u: d.heightU });
        return;
      }
      case 'RackRemoved': {
        const { popId, rackId } = event.data;
        const rack = this.racks.end(key(popId, rackId), at);
        if (rack) this.popSteps.add([popId], at, { total_u: -rack.heightU });
        else this.rackEnds.add(popId, rackId, at);
        return;
      }
      case 'PowerFeedAdded': {
        const d = event.data;
        const kw = feedKw(d);
        this.feeds.addItem(key(d.popId, d.feedId), { rackId: d.rackId, side: d.side, kw }, d.popId, d.feedId, d.rackId, d.side, kw, at);
        this.feed(d.popId, d.rackId, d.side, kw, at, 1);
        return;
      }
      case 'PowerFeedRemoved': {
        const { popId, feedId } = event.data;
        const feed = this.feeds.end(key(popId, feedId), at);
        if (feed) this.feed(popId, feed.rackId, feed.side, feed.kw, at, -1);
        else this.feedEnds.add(popId, feedId, at);
        return;
      }
      case 'DeviceInstalled': {
        const d = event.data;
        const drawKw = d.powerDrawWatts / 1000;
        this.devices.addItem(
          key(d.popId, d.deviceId), { heightU: d.heightU, drawKw }, d.popId, d.deviceId, d.rackId, d.name, d.role, d.positionU, d.heightU, drawKw, at,
        );
        this.popSteps.add([d.popId], at, { used_u: d.heightU, allocated_kw: drawKw });
        return;
      }
      case 'DeviceRemoved': {
        const { popId, deviceId } = event.data;
        const device = this.devices.end(key(popId, deviceId), at);
        if (device) this.popSteps.add([popId], at, { used_u: -device.heightU, allocated_kw: -device.drawKw });
        else this.deviceEnds.add(popId, deviceId, at);
        return;
      }
      case 'CarrierConnected': {
        const d = event.data;
        this.circuits.addItem(key(d.popId, d.circuitId), d, d.popId, d.circuitId, d.type, d.bandwidthMbps, at);
        this.circuit(d.popId, d.bandwidthMbps, at, 1);
        return;
      }
      case 'CarrierDisconnected': {
        const { popId, circuitId } = event.data;
        const circuit = this.circuits.end(key(popId, circuitId), at);
        if (circuit) this.circuit(popId, circuit.bandwidthMbps, at, -1);
        else this.circuitEnds.add(popId, circuitId, at);
        return;
      }
      case 'CapacityReserved': {
        const d = event.data;
        this.reservations.add(d.popId, d.reservationId, d.resource, d.amount, d.from, d.until, d.until);
        this.reserve(d.popId, d.resource, d.amount, d.from, d.until);
        return;
      }
      case 'ReservationReleased':
        this.releases.add(event.data.popId, event.data.reservationId, at);
        return;
    }
  }

  async write(tx: SqlQueryable, t: TableNames): Promise<void> {
    await this.pops.write(tx, t);
    // Only the first lease moves the PoP to LEASED: later ones find the LEASED row and add none.
    await this.statuses.write(tx, t, 'ON CONFLICT DO NOTHING');
    for (const inserts of [this.leases, this.racks, this.feeds, this.devices, this.circuits, this.reservations]) await inserts.write(tx, t);
    await this.writeEnds(tx, t);
    const rackChanges = await this.rackSteps.write(tx, t, { changes: true });
    addRackChanges(this.rackSteps, rackChanges, await readRackCaps(tx, t(T.rack), rackChanges, this.caps), this.popSteps);
    await this.popSteps.write(tx, t);
  }

  /** Applies the removals and turns what they removed into step deltas. */
  private async writeEnds(tx: SqlQueryable, t: TableNames): Promise<void> {
    const iso = (at: Date | string) => new Date(at).toISOString();
    const isoOrNull = (at: Date | null) => (at === null ? null : iso(at));
    for (const lease of await this.leaseEnds.write(tx, t)) {
      // The lease's end moved: its contracted power stops at the new end, no longer at the old one.
      if (lease.contracted_power_kw !== null) this.contract(lease.pop_id, lease.contracted_power_kw, iso(lease.new_to), isoOrNull(lease.old_to), -1);
    }
    for (const rack of await this.rackEnds.write(tx, t)) this.popSteps.add([rack.pop_id], iso(rack.at), { total_u: -rack.height_u });
    for (const feed of await this.feedEnds.write(tx, t)) this.feed(feed.pop_id, feed.rack_id, feed.side, feed.kw, iso(feed.at), -1);
    for (const device of await this.deviceEnds.write(tx, t)) this.popSteps.add([device.pop_id], iso(device.at), { used_u: -device.height_u, allocated_kw: -device.draw_kw });
    for (const circuit of await this.circuitEnds.write(tx, t)) this.circuit(circuit.pop_id, circuit.bandwidth_mbps, iso(circuit.at), -1);
    for (const released of await this.releases.write(tx, t)) {
      this.reserve(released.pop_id, released.resource, released.amount, iso(released.new_to), isoOrNull(released.old_to), -1);
    }
  }

  /** Contracted power on [from, to) (taken away with sign -1). */
  private contract(popId: string, kw: number, from: string, to: string | null, sign: 1 | -1 = 1): void {
    this.popSteps.add([popId], from, { contracted_kw: sign * kw, contracting_leases: sign });
    this.popSteps.add([popId], to, { contracted_kw: -sign * kw, contracting_leases: -sign });
  }

  /** A reservation's amount on [from, to) (taken away with sign -1). */
  private reserve(popId: string, resource: CapacityResource, amount: number, from: string, to: string | null, sign: 1 | -1 = 1): void {
    const column = RESERVED_COLUMN[resource];
    this.popSteps.add([popId], from, { [column]: sign * amount });
    this.popSteps.add([popId], to, { [column]: -sign * amount });
  }

  private feed(popId: string, rackId: string, side: FeedSide, kw: number, at: string, sign: 1 | -1): void {
    this.rackSteps.add([popId, rackId], at, side === 'A' ? { a_kw: sign * kw, a_feeds: sign } : { b_kw: sign * kw, b_feeds: sign });
    this.popSteps.add([popId], at, { provisioned_kw: sign * kw });
  }

  private circuit(popId: string, mbps: number, at: string, sign: 1 | -1): void {
    this.popSteps.add([popId], at, { capacity_mbps: sign * mbps });
  }
}

function key(popId: string, id: string): string {
  return `${popId}\u0000${id}`;
}

/** A lease's inclusive last day ends at the next day's 00:00Z. */
function endOfDay(date: string | null): string | null {
  return date === null ? null : isoOf(dayStart(date) + DAY_MS);
}

const PERIOD = 'valid_from timestamptz NOT NULL, valid_to timestamptz';
/** Ids, codes and enum values compare by code point (as the domain sorts them), in every database. */
const ID = 'text COLLATE "C" NOT NULL';

export const inventoryProjection: Projection = {
  name: 'planning_inventory',
  eventTypes: POP_EVENT_TYPES,
  tables: [...Object.values(T), ...[newPopSteps(), newRackSteps()].flatMap((steps) => [steps.pointTable, steps.blockTable])],
  views: [POP_STEP_TABLE, RACK_STEP_TABLE],
  // Every row belongs to one PoP, and only its own stream's events write it.
  streamsIndependent: true,
  createTables: (t) => `
    ${newPopSteps().createTable(t)};
    ${newRackSteps().createTable(t)};
    CREATE TABLE ${t(T.pop)} (
      pop_id ${ID} PRIMARY KEY, code ${ID}, name text NOT NULL, kind text NOT NULL, operator_model text NOT NULL,
      country_code text NOT NULL, city text, region text, latitude float8, longitude float8, provider text, cloud_region text,
      registered_at timestamptz NOT NULL);
    CREATE TABLE ${t(T.status)} (
      pop_id ${ID}, rank int NOT NULL, effective_at timestamptz NOT NULL, PRIMARY KEY (pop_id, rank));
    CREATE TABLE ${t(T.lease)} (
      pop_id ${ID}, lease_id ${ID}, contracted_power_kw float8, ${PERIOD}, PRIMARY KEY (pop_id, lease_id));
    CREATE TABLE ${t(T.rack)} (
      pop_id ${ID}, rack_id ${ID}, name text, height_u int NOT NULL, max_power_kw float8, ${PERIOD}, PRIMARY KEY (pop_id, rack_id));
    CREATE TABLE ${t(T.feed)} (
      pop_id ${ID}, feed_id ${ID}, rack_id ${ID}, side text NOT NULL, kw float8 NOT NULL, ${PERIOD}, PRIMARY KEY (pop_id, feed_id));
    CREATE TABLE ${t(T.device)} (
      pop_id ${ID}, device_id ${ID}, rack_id ${ID}, name text, role text NOT NULL, position_u int NOT NULL, height_u int NOT NULL,
      draw_kw float8 NOT NULL, ${PERIOD}, PRIMARY KEY (pop_id, device_id));
    CREATE TABLE ${t(T.circuit)} (
      pop_id ${ID}, circuit_id ${ID}, type ${ID}, bandwidth_mbps float8 NOT NULL, ${PERIOD}, PRIMARY KEY (pop_id, circuit_id));
    CREATE TABLE ${t(T.reservation)} (
      pop_id ${ID}, reservation_id ${ID}, resource text NOT NULL, amount float8 NOT NULL, until_at timestamptz, ${PERIOD},
      PRIMARY KEY (pop_id, reservation_id))`,
  // The primary keys (pop_id first) serve the per-PoP reads; this one the order of pops().
  createIndexes: (t) => `CREATE INDEX ${t(T.pop)}_code_idx ON ${t(T.pop)} (code, pop_id)`,
  async handle(tx, events, t) {
    const batch = new InventoryBatch();
    for (const event of events) batch.add(toPopEvent(event));
    await batch.write(tx, t);
  },
};

function toPopEvent(event: RecordedEvent): PopEvent {
  return { type: event.type, data: event.data, effectiveAt: event.metadata.effectiveAt } as PopEvent;
}
