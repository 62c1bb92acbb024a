import { CommandBus } from '@nestjs/cqrs';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { ApiError, FieldError } from '../../platform/api/errors/api-error.types';
import { CommandResult } from '../../platform/commands/command-result.types';
import { commandsOf, DomainCommandAndEnvelope, plainData } from '../../platform/commands/domain-command.factory';
import { ScenarioCommand, ScenarioStepData, StepInputData } from '../domain/scenario.commands';
import { STEP_MUTATIONS } from '../domain/scenario.enums';
import { CommitScenarioCommand } from './commit-scenario.handler';
import { ExecuteScenarioCommand } from './execute-scenario-command.handler';
import { ScenarioCommitResult } from './scenario-commit.types';
import { ScenarioStepInput } from './scenario-step.input';
import { AddScenarioStepsInput, CommitScenarioInput, CreateScenarioInput, DiscardScenarioInput, RemoveScenarioStepInput } from './scenario.input';

const scenarioCommands = commandsOf<ScenarioCommand>();

/** The scenario mutations (docs/planning-scenarios.md). */
@Resolver()
@Access('scenarioWrite')
export class ScenarioMutationsResolver {
  constructor(private readonly commands: CommandBus) {}

  private send({ command, envelope }: DomainCommandAndEnvelope<ScenarioCommand>): Promise<CommandResult> {
    return this.commands.execute(new ExecuteScenarioCommand(command, envelope));
  }

  @Mutation(() => CommandResult, { description: 'Starts a plan (stream scenario-<scenarioId>), OPEN and empty' })
  createScenario(@Args('input') input: CreateScenarioInput, @CurrentPrincipal() p: Principal) {
    // The command's data adds who creates it to the input's fields.
    const { command, envelope } = scenarioCommands.fromChecked('CreateScenario', input, p, 'graphql');
    return this.send({ command: { ...command, data: { ...command.data, createdBy: p.name } } as ScenarioCommand, envelope });
  }

  @Mutation(() => CommandResult, { description: 'Appends steps to an OPEN plan (at most 500 per call, 5,000 per scenario)' })
  addScenarioSteps(@Args('input') input: AddScenarioStepsInput, @CurrentPrincipal() p: Principal) {
    const steps = stepsOf(input.steps);
    const { command, envelope } = scenarioCommands.fromChecked('AddScenarioSteps', input, p, 'graphql');
    return this.send({ command: { ...command, data: { scenarioId: input.scenarioId, steps } } as ScenarioCommand, envelope });
  }

  @Mutation(() => CommandResult, { description: 'Removes a step from an OPEN plan (its stepId stays used)' })
  removeScenarioStep(@Args('input') input: RemoveScenarioStepInput, @CurrentPrincipal() p: Principal) {
    return this.send(scenarioCommands.from('RemoveScenarioStep', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult, { description: 'Closes an OPEN plan without recording it' })
  discardScenario(@Args('input') input: DiscardScenarioInput, @CurrentPrincipal() p: Principal) {
    return this.send(scenarioCommands.from('DiscardScenario', input, p, 'graphql'));
  }

  @Mutation(() => ScenarioCommitResult, { description: 'Records every step as the real command if all are accepted on the log as it is now, then marks the scenario COMMITTED' })
  commitScenario(@Args('input') input: CommitScenarioInput, @CurrentPrincipal() p: Principal): Promise<ScenarioCommitResult> {
    const { envelope } = scenarioCommands.from('CommitScenario', input, p, 'graphql');
    return this.commands.execute(new CommitScenarioCommand(input.scenarioId, envelope));
  }
}

/**
 * Each step as stored: its one mutation and that mutation's fields as plain JSON. A step with no
 * mutation field, or several, is BAD_USER_INPUT on `steps.<index>`.
 */
function stepsOf(steps: ScenarioStepInput[]): ScenarioStepData[] {
  const errors: FieldError[] = [];
  const data = steps.map((step, index): ScenarioStepData | null => {
    const set = STEP_MUTATIONS.filter((mutation) => step[mutation] !== undefined && step[mutation] !== null);
    if (set.length !== 1) {
      const got = set.length === 0 ? 'none' : `${set.length}: ${set.join(', ')}`;
      errors.push({ field: `steps.${index}`, message: `a step needs exactly one mutation field (an inventory or workload mutation, e.g. installDevice), got ${got}` });
      return null;
    }
    const [mutation] = set;
    return { stepId: step.stepId, mutation, input: plainData(step[mutation] as object) as StepInputData };
  });
  if (errors.length > 0) throw ApiError.badInput(errors.slice(0, 20));
  return data as ScenarioStepData[];
}
