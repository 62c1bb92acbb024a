import { RuleViolationError } from '../../kernel/domain.errors';
import { lookup } from '../../kernel/id-index.util';
import { findRecord, rowOf } from '../../kernel/record-table.util';
import { requireNonNegative, requirePositive, requirePositiveInteger } from '../../kernel/number.guards';
import { instantMs, isoOf } from '../../kernel/time.util';
import {
  AddPowerFeed, DEFAULT_DERATING_PERCENT, DEFAULT_POWER_FACTOR, DEFAULT_RACK_HEIGHT_U, InstallDevice, InstallRack, RemoveDevice, RemovePowerFeed, RemoveRack,
} from './pop.commands';
import { DeviceInstalled, DeviceRemoved, PowerFeedAdded, PowerFeedRemoved, RackInstalled, RackRemoved } from './pop.events';
import { effectsOf } from './pop-effects.evolve';
import { assertNewId, assertNotClosed, assertPhysical, requireRackFor, requireRemovable } from './pop.guards';
import { assertPopInvariants, assertRackPower } from './pop-timeline.rules';
import { deviceAt, deviceRemovedAt, feedRemovedAt, PopAggregate, RackRecord } from './pop.state';

/** Racks, power feeds and devices: physical PoPs only. */

/** NO_LEASE without an active lease at its effective time; RACK_LIMIT from then on. */
export function installRack(command: InstallRack, pop: PopAggregate): RackInstalled[] {
  const d = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const subject = `rack ${d.rackId}`;
  assertPhysical(pop, subject);
  assertNewId(lookup(pop.racks, d.rackId) !== undefined, d.rackId, 'rack', pop.popId);
  assertNotClosed(pop, subject, at);
  if (!Object.values(pop.leases).some((lease) => lease.from <= at && (lease.to === null || at < lease.to))) {
    throw new RuleViolationError('NO_LEASE', `${subject} needs an active lease at ${isoOf(at)}; PoP ${pop.popId} has none then`);
  }
  const data = {
    popId: d.popId,
    rackId: d.rackId,
    name: d.name ?? null,
    heightU: requirePositiveInteger(d.heightU ?? DEFAULT_RACK_HEIGHT_U, 'heightU'),
    maxPowerKw: d.maxPowerKw == null ? null : requireNonNegative(d.maxPowerKw, 'maxPowerKw'),
  };
  const event: RackInstalled = { type: 'RackInstalled', data, effectiveAt: isoOf(at) };
  assertPopInvariants(pop, effectsOf(pop, event).pop);
  return [event];
}

/** RACK_NOT_EMPTY while a device or feed is present at or after the removal; reserved U re-checked. */
export function removeRack(command: RemoveRack, pop: PopAggregate): RackRemoved[] {
  const { popId, rackId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const rack = requireRemovable(lookup(pop.racks, rackId), rackId, 'rack', pop.popId, at);
  const remaining = [
    ...stillThere(rack.openDevices, rack.removedDevices, deviceRemovedAt(pop), at).map((row) => `device ${pop.devices.ids[row]}`),
    ...stillThere(rack.openFeedIds, rack.removedFeedIds, feedRemovedAt(pop), at).map((id) => `feed ${id}`),
  ];
  if (remaining.length > 0) {
    throw new RuleViolationError('RACK_NOT_EMPTY', `rack ${rackId} still holds ${remaining.join(', ')} at or after ${isoOf(at)}`);
  }
  const event: RackRemoved = { type: 'RackRemoved', data: { popId, rackId }, effectiveAt: isoOf(at) };
  assertPopInvariants(pop, effectsOf(pop, event).pop);
  return [event];
}

/** Adding a B feed to an A-only rack can lower its usable power (min of sides): re-checked like a removal. */
export function addPowerFeed(command: AddPowerFeed, pop: PopAggregate): PowerFeedAdded[] {
  const d = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const subject = `feed ${d.feedId}`;
  assertPhysical(pop, subject);
  assertNewId(lookup(pop.feeds, d.feedId) !== undefined, d.feedId, 'feed', pop.popId);
  assertNotClosed(pop, subject, at);
  requireRackFor(pop, d.rackId, subject, at);
  const data = {
    popId: d.popId,
    feedId: d.feedId,
    rackId: d.rackId,
    side: d.side,
    phase: d.phase,
    voltage: requirePositive(d.voltage, 'voltage'),
    amperage: requirePositive(d.amperage, 'amperage'),
    deratingPercent: requirePositive(d.deratingPercent ?? DEFAULT_DERATING_PERCENT, 'deratingPercent'),
    powerFactor: requirePositive(d.powerFactor ?? DEFAULT_POWER_FACTOR, 'powerFactor'),
    monthlyCost: d.monthlyCost ?? null,
    oneOffCost: d.oneOffCost ?? null,
  };
  return [checkedPower(pop, { type: 'PowerFeedAdded', data, effectiveAt: isoOf(at) })];
}

export function removePowerFeed(command: RemovePowerFeed, pop: PopAggregate): PowerFeedRemoved[] {
  const { popId, feedId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  requireRemovable(lookup(pop.feeds, feedId), feedId, 'feed', pop.popId, at);
  return [checkedPower(pop, { type: 'PowerFeedRemoved', data: { popId, feedId }, effectiveAt: isoOf(at) })];
}

/** OUT_OF_RACK, SPACE_OVERLAP with any device present at the same time, then power and space from then on. */
export function installDevice(command: InstallDevice, pop: PopAggregate): DeviceInstalled[] {
  const d = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const subject = `device ${d.deviceId}`;
  assertPhysical(pop, subject);
  assertNewId(rowOf(pop.devices, d.deviceId) >= 0, d.deviceId, 'device', pop.popId);
  assertNotClosed(pop, subject, at);
  const rack = requireRackFor(pop, d.rackId, subject, at);
  const placement = { positionU: requirePositiveInteger(d.positionU, 'positionU'), heightU: requirePositiveInteger(d.heightU, 'heightU') };
  const top = placement.positionU + placement.heightU - 1;
  if (top > rack.heightU) {
    throw new RuleViolationError('OUT_OF_RACK', `${subject} would occupy ${units(placement)}, beyond the ${rack.heightU} U of rack ${rack.rackId}`);
  }
  const { positionU, heightU } = pop.devices.columns;
  const clashing = devicesPresentFrom(pop, rack, at).find((row) => positionU[row] <= top && placement.positionU <= positionU[row] + heightU[row] - 1);
  if (clashing !== undefined) {
    const clash = deviceAt(pop.devices, clashing);
    throw new RuleViolationError(
      'SPACE_OVERLAP',
      `${subject} (${units(placement)}) would overlap device ${clash.deviceId} (${units(clash)}) in rack ${rack.rackId} at ${isoOf(Math.max(at, clash.from))}`,
    );
  }
  const data = {
    popId: d.popId,
    deviceId: d.deviceId,
    rackId: d.rackId,
    name: d.name ?? null,
    role: d.role,
    ...placement,
    powerDrawWatts: requireNonNegative(d.powerDrawWatts, 'powerDrawWatts'),
    purchaseCost: d.purchaseCost ?? null,
  };
  return [checkedPower(pop, { type: 'DeviceInstalled', data, effectiveAt: isoOf(at) })];
}

/** A removal only frees capacity: nothing to re-check. */
export function removeDevice(command: RemoveDevice, pop: PopAggregate): DeviceRemoved[] {
  const { popId, deviceId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  requireRemovable(findRecord(pop.devices, deviceId, deviceAt), deviceId, 'device', pop.popId, at);
  return [{ type: 'DeviceRemoved', data: { popId, deviceId }, effectiveAt: isoOf(at) }];
}

/** The rack's draw against its usable power, then the PoP-wide invariants, over the event's effects. */
function checkedPower<E extends PowerFeedAdded | PowerFeedRemoved | DeviceInstalled>(pop: PopAggregate, event: E): E {
  const effects = effectsOf(pop, event);
  if (effects.rack) assertRackPower(effects.rack.rack, effects.rack.changes);
  assertPopInvariants(pop, effects.pop);
  return event;
}

/**
 * The rows of the rack's devices present at some instant ≥ `at`: the open ones and those removed after `at`, but not one
 * removed at the instant it was installed (present over no time at all).
 */
function devicesPresentFrom(pop: PopAggregate, rack: RackRecord, at: number): number[] {
  const { from, to } = pop.devices.columns;
  return stillThere(rack.openDevices, rack.removedDevices, deviceRemovedAt(pop), at).filter((row) => {
    const end = to[row];
    return end === null || from[row] < end;
  });
}

/** Items still present at or after `at`: every open one and the suffix of removed ones removed (`toOf`) after it. */
function stillThere<T>(open: readonly T[], removed: readonly T[], toOf: (item: T) => number, at: number): T[] {
  const later: T[] = [];
  for (let index = removed.length - 1; index >= 0 && toOf(removed[index]) > at; index--) later.push(removed[index]);
  return [...open, ...later];
}

function units(device: { positionU: number; heightU: number }): string {
  return `U${device.positionU}-U${device.positionU + device.heightU - 1}`;
}
