import { Field, Float, InputType } from '@nestjs/graphql';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CAPACITY_RESOURCES, CapacityResource } from '../domain/pop.enums';
import { CapacityResourceEnum } from '../inventory-enums.graphql';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import { IsAfter, IsEntityId } from '../../platform/api/validation/field.validators';
import { PopCommandInput } from './pop-lifecycle.input';

@InputType()
export class ReserveCapacityInput extends PopCommandInput {
  @Field() @IsEntityId() reservationId: string;
  @Field(() => CapacityResourceEnum) @IsIn(CAPACITY_RESOURCES) resource: CapacityResource;
  @Field(() => Float, { description: 'U, kW or Mbps, by resource' }) @IsNumber() @Min(0.0001) @Max(10_000_000) amount: number;
  @Field(() => DateTimeScalar) @IsString() from: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive end; open-ended when null' })
  @IsOptional() @IsAfter('from') until?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 1000) note?: string;
}

@InputType()
export class ReleaseReservationInput extends PopCommandInput {
  @Field() @IsEntityId() reservationId: string;
}
