import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { DEVICE_ROLES, DeviceRole } from '../domain/pop.enums';
import { DeviceRoleEnum } from '../inventory-enums.graphql';
import { MoneyInput } from '../../platform/api/money.graphql';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { PopCommandInput } from './pop-lifecycle.input';

@InputType()
export class InstallDeviceInput extends PopCommandInput {
  @Field() @IsEntityId() deviceId: string;
  @Field() @IsEntityId() rackId: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @Field(() => DeviceRoleEnum) @IsIn(DEVICE_ROLES) role: DeviceRole;
  @Field(() => Int, { description: 'Lowest U the device occupies (1-based)' }) @IsInt() @Min(1) @Max(60) positionU: number;
  @Field(() => Int) @IsInt() @Min(1) @Max(60) heightU: number;
  @Field(() => Float) @IsNumber() @Min(0) @Max(100_000) powerDrawWatts: number;
  @Field(() => MoneyInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => MoneyInput) purchaseCost?: MoneyInput;
}

@InputType()
export class RemoveDeviceInput extends PopCommandInput {
  @Field() @IsEntityId() deviceId: string;
}
