import { Field, ID, InputType, OmitType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import {
  ActivatePopInput, AddPowerFeedInput, ClosePopInput, ConnectCarrierInput, DisconnectCarrierInput, InstallDeviceInput, InstallRackInput,
  LeaseSiteInput, PopCommand, RegisterPopInput, ReleaseReservationInput, RemoveDeviceInput, RemovePowerFeedInput, RemoveRackInput,
  ReserveCapacityInput, StartBuildOutInput, StartDecommissionInput, TerminateLeaseInput,
} from '../../inventory';
import { PlaceWorkloadInput, RegisterWorkloadInput, WithdrawWorkloadInput, WorkloadCommand } from '../../residency';
import { CommandOf, InputFor } from '../../platform/commands/domain-command.factory';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { StepMutation } from '../domain/scenario.enums';
import { INVENTORY_STEP_COMMANDS, WORKLOAD_STEP_COMMANDS } from '../domain/step-mutations.rules';

/**
 * A step's input is its mutation's own input class less the envelope fields a plan cannot carry
 * (docs/planning-scenarios.md, "Steps"): OmitType keeps every GraphQL field and class-validator rule of
 * the mutation's input, so a step is validated exactly like the mutation. `effectiveAt` stays.
 */
const NOT_IN_STEPS = ['commandId', 'expectedRevision', 'dryRun'] as const;

@InputType() export class RegisterPopStepInput extends OmitType(RegisterPopInput, NOT_IN_STEPS, InputType) {}
@InputType() export class LeaseSiteStepInput extends OmitType(LeaseSiteInput, NOT_IN_STEPS, InputType) {}
@InputType() export class TerminateLeaseStepInput extends OmitType(TerminateLeaseInput, NOT_IN_STEPS, InputType) {}
@InputType() export class StartBuildOutStepInput extends OmitType(StartBuildOutInput, NOT_IN_STEPS, InputType) {}
@InputType() export class ActivatePopStepInput extends OmitType(ActivatePopInput, NOT_IN_STEPS, InputType) {}
@InputType() export class StartDecommissionStepInput extends OmitType(StartDecommissionInput, NOT_IN_STEPS, InputType) {}
@InputType() export class ClosePopStepInput extends OmitType(ClosePopInput, NOT_IN_STEPS, InputType) {}
@InputType() export class InstallRackStepInput extends OmitType(InstallRackInput, NOT_IN_STEPS, InputType) {}
@InputType() export class RemoveRackStepInput extends OmitType(RemoveRackInput, NOT_IN_STEPS, InputType) {}
@InputType() export class AddPowerFeedStepInput extends OmitType(AddPowerFeedInput, NOT_IN_STEPS, InputType) {}
@InputType() export class RemovePowerFeedStepInput extends OmitType(RemovePowerFeedInput, NOT_IN_STEPS, InputType) {}
@InputType() export class InstallDeviceStepInput extends OmitType(InstallDeviceInput, NOT_IN_STEPS, InputType) {}
@InputType() export class RemoveDeviceStepInput extends OmitType(RemoveDeviceInput, NOT_IN_STEPS, InputType) {}
@InputType() export class ConnectCarrierStepInput extends OmitType(ConnectCarrierInput, NOT_IN_STEPS, InputType) {}
@InputType() export class DisconnectCarrierStepInput extends OmitType(DisconnectCarrierInput, NOT_IN_STEPS, InputType) {}
@InputType() export class ReserveCapacityStepInput extends OmitType(ReserveCapacityInput, NOT_IN_STEPS, InputType) {}
@InputType() export class ReleaseReservationStepInput extends OmitType(ReleaseReservationInput, NOT_IN_STEPS, InputType) {}
@InputType() export class RegisterWorkloadStepInput extends OmitType(RegisterWorkloadInput, NOT_IN_STEPS, InputType) {}
@InputType() export class PlaceWorkloadStepInput extends OmitType(PlaceWorkloadInput, NOT_IN_STEPS, InputType) {}
@InputType() export class WithdrawWorkloadStepInput extends OmitType(WithdrawWorkloadInput, NOT_IN_STEPS, InputType) {}

/** Each step mutation's input class. */
export const STEP_INPUTS = {
  registerPop: RegisterPopStepInput,
  leaseSite: LeaseSiteStepInput,
  terminateLease: TerminateLeaseStepInput,
  startBuildOut: StartBuildOutStepInput,
  activatePop: ActivatePopStepInput,
  startDecommission: StartDecommissionStepInput,
  closePop: ClosePopStepInput,
  installRack: InstallRackStepInput,
  removeRack: RemoveRackStepInput,
  addPowerFeed: AddPowerFeedStepInput,
  removePowerFeed: RemovePowerFeedStepInput,
  installDevice: InstallDeviceStepInput,
  removeDevice: RemoveDeviceStepInput,
  connectCarrier: ConnectCarrierStepInput,
  disconnectCarrier: DisconnectCarrierStepInput,
  reserveCapacity: ReserveCapacityStepInput,
  releaseReservation: ReleaseReservationStepInput,
  registerWorkload: RegisterWorkloadStepInput,
  placeWorkload: PlaceWorkloadStepInput,
  withdrawWorkload: WithdrawWorkloadStepInput,
} as const satisfies Record<StepMutation, new () => object>;

/**
 * Compile-time only: every step input carries exactly its command's data (the check `commandsOf().from`
 * makes at a mutation), so a step turned into its command at run time is the command the mutation sends.
 */
type StepsChecked = {
  [M in keyof typeof INVENTORY_STEP_COMMANDS]: InputFor<CommandOf<PopCommand, (typeof INVENTORY_STEP_COMMANDS)[M]>['data'], InstanceType<(typeof STEP_INPUTS)[M]>>;
} & {
  [M in keyof typeof WORKLOAD_STEP_COMMANDS]: InputFor<CommandOf<WorkloadCommand, (typeof WORKLOAD_STEP_COMMANDS)[M]>['data'], InstanceType<(typeof STEP_INPUTS)[M]>>;
};
type Checked<T> = { [K in keyof T]: [T[K]] extends [never] ? false : true };
void ({} as Checked<StepsChecked> satisfies Record<StepMutation, true>);

/** One step of a plan: its id and exactly one field named after an inventory or workload mutation, with that mutation's input. */
@InputType()
export class ScenarioStepInput {
  @Field(() => ID) @IsEntityId() stepId: string;
  @Field(() => RegisterPopStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RegisterPopStepInput) registerPop?: RegisterPopStepInput;
  @Field(() => LeaseSiteStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => LeaseSiteStepInput) leaseSite?: LeaseSiteStepInput;
  @Field(() => TerminateLeaseStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => TerminateLeaseStepInput) terminateLease?: TerminateLeaseStepInput;
  @Field(() => StartBuildOutStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => StartBuildOutStepInput) startBuildOut?: StartBuildOutStepInput;
  @Field(() => ActivatePopStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => ActivatePopStepInput) activatePop?: ActivatePopStepInput;
  @Field(() => StartDecommissionStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => StartDecommissionStepInput) startDecommission?: StartDecommissionStepInput;
  @Field(() => ClosePopStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => ClosePopStepInput) closePop?: ClosePopStepInput;
  @Field(() => InstallRackStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => InstallRackStepInput) installRack?: InstallRackStepInput;
  @Field(() => RemoveRackStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RemoveRackStepInput) removeRack?: RemoveRackStepInput;
  @Field(() => AddPowerFeedStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => AddPowerFeedStepInput) addPowerFeed?: AddPowerFeedStepInput;
  @Field(() => RemovePowerFeedStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RemovePowerFeedStepInput) removePowerFeed?: RemovePowerFeedStepInput;
  @Field(() => InstallDeviceStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => InstallDeviceStepInput) installDevice?: InstallDeviceStepInput;
  @Field(() => RemoveDeviceStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RemoveDeviceStepInput) removeDevice?: RemoveDeviceStepInput;
  @Field(() => ConnectCarrierStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => ConnectCarrierStepInput) connectCarrier?: ConnectCarrierStepInput;
  @Field(() => DisconnectCarrierStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => DisconnectCarrierStepInput) disconnectCarrier?: DisconnectCarrierStepInput;
  @Field(() => ReserveCapacityStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => ReserveCapacityStepInput) reserveCapacity?: ReserveCapacityStepInput;
  @Field(() => ReleaseReservationStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => ReleaseReservationStepInput) releaseReservation?: ReleaseReservationStepInput;
  @Field(() => RegisterWorkloadStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RegisterWorkloadStepInput) registerWorkload?: RegisterWorkloadStepInput;
  @Field(() => PlaceWorkloadStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => PlaceWorkloadStepInput) placeWorkload?: PlaceWorkloadStepInput;
  @Field(() => WithdrawWorkloadStepInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => WithdrawWorkloadStepInput) withdrawWorkload?: WithdrawWorkloadStepInput;
}
