import { OperatorModel, POP_STATUSES, PopKind } from '../domain/pop.enums';
import { STATUS_RANK_AT } from './capacity.reader';
import { Pop } from './pop.types';

/** A PoP's profile with its status at $1, from `rm_pop p`. */
export const POP_COLUMNS = `p.pop_id, p.code, p.name, p.kind, p.operator_model, p.country_code, p.city, p.region,
  p.latitude, p.longitude, p.provider, p.cloud_region, ${STATUS_RANK_AT} AS status_rank`;

export interface PopRow {
  pop_id: string;
  code: string;
  name: string;
  kind: PopKind;
  operator_model: OperatorModel;
  country_code: string;
  city: string | null;
  region: string | null;
  latitude: number | null;
  longitude: number | null;
  provider: string | null;
  cloud_region: string | null;
  status_rank: number;
}

export function toPop(row: PopRow): Pop {
  return {
    popId: row.pop_id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    operatorModel: row.operator_model,
    status: POP_STATUSES[row.status_rank],
    countryCode: row.country_code,
    city: row.city,
    region: row.region,
    latitude: row.latitude,
    longitude: row.longitude,
    provider: row.provider,
    cloudRegion: row.cloud_region,
  };
}
