/**
 * Inventory and capacity: PoPs, leases, racks, power, devices, carriers and reservations on the
 * `pop-<popId>` streams, and the planning read model. Other features, the tools and the
 * composition root reach it only through this file (docs/architecture.md, "Dependency rules").
 */
export { InventoryModule, inventoryProjections } from './inventory.module';
export { inventoryMigrations } from './read/inventory.migrations';
export { POP_STREAM_PREFIX, popStream } from './domain/pop.streams';
export type { PopCommand } from './domain/pop.commands';
export type { PopEvent, PopRegistered } from './domain/pop.events';
export { POP_EVENT_TYPES } from './domain/pop.events';
export type { PopAggregate, PopState, Transition } from './domain/pop.state';
export type { CapacityResource, CircuitType, DeviceRole, FeedPhase, OperatorModel, PopStatus } from './domain/pop.enums';
export { popDecider } from './domain/pop.decider';
export { popStatusAt, popStatusAsOf } from './domain/pop-lifecycle.rules';
export { feedKw, round4 } from './domain/capacity.math';
export type { CapacityStatus, CapacityThresholds } from './domain/capacity.math';
export { popCapacityAnswer } from './domain/pop-capacity-at.math';
export type { PopCapacityAnswer } from './domain/pop-capacity-at.math';
export { CAPACITY_RESOURCES } from './domain/pop.enums';
export { capacityAffectedFrom, EMPTY_STATUSES } from './domain/capacity-change.rules';
export type { ResourceStatus, ResourceStatuses } from './domain/capacity-change.rules';
export { readStatusTimelines } from './read/capacity-status.reader';
export type { StatusPoint, StatusTimeline } from './read/capacity-status.reader';
export { ExecutePopCommands } from './write/execute-pop-command.handler';
export { ActivatePopInput, ClosePopInput, PopCommandInput, RegisterPopInput, StartBuildOutInput, StartDecommissionInput } from './write/pop-lifecycle.input';
export { ConnectCarrierInput, DisconnectCarrierInput } from './write/carrier.input';
export { InstallDeviceInput, RemoveDeviceInput } from './write/device.input';
export { LeaseSiteInput, TerminateLeaseInput } from './write/lease.input';
export { AddPowerFeedInput, InstallRackInput, RemovePowerFeedInput, RemoveRackInput } from './write/rack.input';
export { ReleaseReservationInput, ReserveCapacityInput } from './write/reservation.input';
export { GetCapacityQuery, thresholdsOf } from './read/get-capacity.query';
export { PopCapacity } from './read/pop.types';
