import { PopCommand, popStream } from '../../inventory';
import { WorkloadCommand, workloadStream } from '../../residency';
import { plainData } from '../../platform/commands/domain-command.factory';
import { ScenarioStepData } from '../domain/scenario.commands';
import { StepMutation } from '../domain/scenario.enums';
import { stepCommandId } from '../domain/scenario.streams';
import { INVENTORY_STEP_COMMANDS, isInventoryStep, WORKLOAD_STEP_COMMANDS } from '../domain/step-mutations.rules';

// The command names of the step table are those of the aggregates' command unions.
void (INVENTORY_STEP_COMMANDS satisfies Record<string, PopCommand['type']>);
void (WORKLOAD_STEP_COMMANDS satisfies Record<string, WorkloadCommand['type']>);

/** A step as the write side would take it: the command its mutation sends, and where it goes. */
export type PlannedStep = {
  stepId: string;
  index: number;
  mutation: StepMutation;
  streamId: string;
  /** The PoP the step names (every inventory step, placing and withdrawing workloads); null otherwise. */
  popId: string | null;
  /** Under which commandId a commit records it. */
  commandId: string;
} & ({ target: 'pop'; command: PopCommand } | { target: 'workload'; command: WorkloadCommand });

/**
 * The command a step's mutation would send, exactly as the mutation builds it from its input
 * (`commandsOf().from`: unset fields dropped, effectiveAt apart). A step without `effectiveAt` takes
 * effect at `now`: the time of the evaluation, or of the commit.
 */
export function planStep(scenarioId: string, step: ScenarioStepData, index: number, now: string): PlannedStep {
  const { effectiveAt, ...fields } = step.input;
  const data = plainData(fields);
  const base = { stepId: step.stepId, index, mutation: step.mutation, commandId: stepCommandId(scenarioId, step.stepId), popId: typeof fields.popId === 'string' ? fields.popId : null };
  const at = effectiveAt ?? now;
  // The step inputs carry exactly their commands' data: checked at compile time with the step input classes.
  if (isInventoryStep(step.mutation)) {
    const command = { type: INVENTORY_STEP_COMMANDS[step.mutation], data, effectiveAt: at } as unknown as PopCommand;
    return { ...base, target: 'pop', command, streamId: popStream(command.data.popId) };
  }
  const command = { type: WORKLOAD_STEP_COMMANDS[step.mutation], data, effectiveAt: at } as unknown as WorkloadCommand;
  return { ...base, target: 'workload', command, streamId: workloadStream(command.data.workloadId) };
}
