import { InventoryStepMutation, StepMutation, WorkloadStepMutation } from './scenario.enums';

/**
 * What each step mutation is on the write side: the command it becomes and the kind of stream it goes
 * to (the PoP's or the workload's). The command names are those of the inventory and residency
 * aggregates; src/scenarios/read/step-commands.util.ts checks them against their command unions.
 */
export const INVENTORY_STEP_COMMANDS = {
  registerPop: 'RegisterPop',
  leaseSite: 'LeaseSite',
  terminateLease: 'TerminateLease',
  startBuildOut: 'StartBuildOut',
  activatePop: 'ActivatePop',
  startDecommission: 'StartDecommission',
  closePop: 'ClosePop',
  installRack: 'InstallRack',
  removeRack: 'RemoveRack',
  addPowerFeed: 'AddPowerFeed',
  removePowerFeed: 'RemovePowerFeed',
  installDevice: 'InstallDevice',
  removeDevice: 'RemoveDevice',
  connectCarrier: 'ConnectCarrier',
  disconnectCarrier: 'DisconnectCarrier',
  reserveCapacity: 'ReserveCapacity',
  releaseReservation: 'ReleaseReservation',
} as const satisfies Record<InventoryStepMutation, string>;

export const WORKLOAD_STEP_COMMANDS = {
  registerWorkload: 'RegisterWorkload',
  placeWorkload: 'PlaceWorkload',
  withdrawWorkload: 'WithdrawWorkload',
} as const satisfies Record<WorkloadStepMutation, string>;

export function isInventoryStep(mutation: StepMutation): mutation is InventoryStepMutation {
  return Object.hasOwn(INVENTORY_STEP_COMMANDS, mutation);
}

/**
 * Whether a step needs its PoP to exist before the scenario's steps run (every step that names a PoP
 * but `registerPop`, which brings a new one: later steps of the scenario may use it).
 */
export function needsExistingPop(mutation: StepMutation): boolean {
  return mutation !== 'registerPop' && mutation !== 'registerWorkload';
}
