import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { DATA_CATEGORIES, DataCategory, PLACEMENT_ROLES, PlacementRole } from '../domain/workload.enums';
import { DataCategoryEnum, PlacementRoleEnum } from '../residency-enums.graphql';
import { CommandInput } from '../../platform/api/command.input';
import { IsEntityId } from '../../platform/api/validation/field.validators';

@InputType({ isAbstract: true })
abstract class WorkloadCommandInput extends CommandInput {
  @Field(() => ID) @IsEntityId() workloadId: string;
}

@InputType()
export class RegisterWorkloadInput extends WorkloadCommandInput {
  @Field() @IsString() @Length(1, 200) tenant: string;
  @Field() @IsString() @Length(1, 200) name: string;
  @Field(() => [DataCategoryEnum])
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ArrayUnique() @IsIn(DATA_CATEGORIES, { each: true })
  dataCategories: DataCategory[];
}

@InputType()
export class PlaceWorkloadInput extends WorkloadCommandInput {
  @Field(() => ID) @IsEntityId() popId: string;
  @Field(() => PlacementRoleEnum) @IsIn(PLACEMENT_ROLES) role: PlacementRole;
}

@InputType()
export class WithdrawWorkloadInput extends WorkloadCommandInput {
  @Field(() => ID) @IsEntityId() popId: string;
}
