/**
 * Type-level test, checked by `npm run lint` (tsc) and never run: a mutation input compiles only
 * with its own command. Each `@ts-expect-error` fails the lint if the line it marks ever compiles.
 */
import { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { AddPowerFeedInput, InstallRackInput, RemoveRackInput } from '../../../src/inventory/write/rack.input';
import { LeaseSiteInput } from '../../../src/inventory/write/lease.input';
import { Principal } from '../../../src/platform/api/auth/roles.types';
import { commandsOf } from '../../../src/platform/commands/domain-command.factory';
import { ProcurementKindsChecked } from '../../../src/procurement/write/procurement-kinds.rules';
import { WorkloadCommand } from '../../../src/residency/domain/workload.commands';
import { PlaceWorkloadInput } from '../../../src/residency/write/workload.input';

const pop = commandsOf<PopCommand>();
const workload = commandsOf<WorkloadCommand>();

export function rightPairings(p: Principal, rack: InstallRackInput, lease: LeaseSiteInput, place: PlaceWorkloadInput): void {
  pop.from('InstallRack', rack, p, 'graphql');
  pop.from('LeaseSite', lease, p, 'graphql');
  workload.from('PlaceWorkload', place, p, 'graphql');
}

export function wrongPairings(p: Principal, rack: InstallRackInput, removeRack: RemoveRackInput, feed: AddPowerFeedInput, place: PlaceWorkloadInput): void {
  // @ts-expect-error RemoveRack's input lacks InstallRack's fields (they are optional, so plain assignability would pass)
  pop.from('InstallRack', removeRack, p, 'graphql');
  // @ts-expect-error InstallRack's input has fields RemoveRack does not take
  pop.from('RemoveRack', rack, p, 'graphql');
  // @ts-expect-error a feed is not a rack
  pop.from('InstallRack', feed, p, 'graphql');
  // @ts-expect-error a workload input on a PoP command
  pop.from('InstallRack', place, p, 'graphql');
  // @ts-expect-error not a PoP command at all
  pop.from('PlaceWorkload', place, p, 'graphql');
}

const wrongKind = { RACK_DELIVERED: { command: 'InstallRack', input: RemoveRackInput, dateFields: [] } } as const;
const rightKind = { RACK_REMOVED: { command: 'RemoveRack', input: RemoveRackInput, dateFields: [] } } as const;
export const procurementKinds: ProcurementKindsChecked<typeof rightKind> = rightKind;
// @ts-expect-error a procurement kind that maps a record to the wrong mutation input
export const wrongProcurementKinds: ProcurementKindsChecked<typeof wrongKind> = wrongKind;
