import { IsOptional } from 'class-validator';
import { IsDateTimeString, IsEntityId } from '../../platform/api/validation/field.validators';

/** Path of `GET /pops/{popId}/racks/{rackId}/elevation.svg`. */
export class RackElevationParams {
  @IsEntityId() popId: string;
  @IsEntityId() rackId: string;
}

/** Query string of the elevation: only `asOf` (default now); anything else is refused. */
export class RackElevationArgs {
  @IsOptional() @IsDateTimeString() asOf?: string;
}
