import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { DEFAULT_DERATING_PERCENT, DEFAULT_POWER_FACTOR, DEFAULT_RACK_HEIGHT_U } from '../domain/pop.commands';
import { FEED_PHASES, FEED_SIDES, FeedPhase, FeedSide } from '../domain/pop.enums';
import { FeedPhaseEnum, FeedSideEnum } from '../inventory-enums.graphql';
import { MoneyInput } from '../../platform/api/money.graphql';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { PopCommandInput } from './pop-lifecycle.input';

@InputType()
export class InstallRackInput extends PopCommandInput {
  @Field() @IsEntityId() rackId: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_RACK_HEIGHT_U }) @IsInt() @Min(1) @Max(60) heightU: number = DEFAULT_RACK_HEIGHT_U;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0.001) @Max(10_000) maxPowerKw?: number;
}

@InputType()
export class RemoveRackInput extends PopCommandInput {
  @Field() @IsEntityId() rackId: string;
}

@InputType()
export class AddPowerFeedInput extends PopCommandInput {
  @Field() @IsEntityId() feedId: string;
  @Field() @IsEntityId() rackId: string;
  @Field(() => FeedSideEnum) @IsIn(FEED_SIDES) side: FeedSide;
  @Field(() => FeedPhaseEnum) @IsIn(FEED_PHASES) phase: FeedPhase;
  @Field(() => Float, { description: 'Volts (line-to-line for THREE phase)' }) @IsNumber() @Min(1) @Max(1000) voltage: number;
  @Field(() => Float) @IsNumber() @Min(1) @Max(1000) amperage: number;
  @Field(() => Float, { nullable: true, defaultValue: DEFAULT_DERATING_PERCENT }) @IsNumber() @Min(1) @Max(100) deratingPercent: number = DEFAULT_DERATING_PERCENT;
  @Field(() => Float, { nullable: true, defaultValue: DEFAULT_POWER_FACTOR }) @IsNumber() @Min(0.5) @Max(1) powerFactor: number = DEFAULT_POWER_FACTOR;
  @Field(() => MoneyInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => MoneyInput) monthlyCost?: MoneyInput;
  @Field(() => MoneyInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => MoneyInput) oneOffCost?: MoneyInput;
}

@InputType()
export class RemovePowerFeedInput extends PopCommandInput {
  @Field() @IsEntityId() feedId: string;
}
