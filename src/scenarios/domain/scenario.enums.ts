/** Scenario vocabularies as const arrays, so that the GraphQL enums are built from them (src/scenarios/scenarios-enums.graphql.ts). */

export const SCENARIO_STATUSES = ['OPEN', 'COMMITTED', 'DISCARDED'] as const;
export type ScenarioStatus = (typeof SCENARIO_STATUSES)[number];

/** How a step fared when the plan was evaluated on the log as it is now. */
export const STEP_OUTCOMES = ['ACCEPTED', 'REJECTED'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** What a commit did with a step (the procurement webhook's words). */
export const STEP_COMMIT_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type StepCommitStatus = (typeof STEP_COMMIT_STATUSES)[number];

/** The inventory mutations a step may be (docs/api.md, "Mutations"); each step targets a `pop-<popId>` stream. */
export const INVENTORY_STEP_MUTATIONS = [
  'registerPop',
  'leaseSite',
  'terminateLease',
  'startBuildOut',
  'activatePop',
  'startDecommission',
  'closePop',
  'installRack',
  'removeRack',
  'addPowerFeed',
  'removePowerFeed',
  'installDevice',
  'removeDevice',
  'connectCarrier',
  'disconnectCarrier',
  'reserveCapacity',
  'releaseReservation',
] as const;

/** The workload mutations a step may be; each step targets a `workload-<workloadId>` stream. */
export const WORKLOAD_STEP_MUTATIONS = ['registerWorkload', 'placeWorkload', 'withdrawWorkload'] as const;

export const STEP_MUTATIONS = [...INVENTORY_STEP_MUTATIONS, ...WORKLOAD_STEP_MUTATIONS] as const;
export type InventoryStepMutation = (typeof INVENTORY_STEP_MUTATIONS)[number];
export type WorkloadStepMutation = (typeof WORKLOAD_STEP_MUTATIONS)[number];
export type StepMutation = (typeof STEP_MUTATIONS)[number];
