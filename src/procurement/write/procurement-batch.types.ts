import { ApiError, ErrorCode, FieldError } from '../../platform/api/errors/api-error.types';

/** Records per request (docs/api.md, "Procurement integration"); the CLI sends files in batches of this size. */
export const MAX_BATCH_RECORDS = 1000;

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';

export interface RecordResult {
  externalId: string | null;
  status: RecordStatus;
  /** Rejected records: BAD_USER_INPUT, RULE_VIOLATION, NOT_FOUND, CONFLICT (or INTERNAL_SERVER_ERROR). */
  code?: ErrorCode;
  /** RULE_VIOLATION: the rule code of docs/domain.md, "Inventory rules". */
  rule?: string;
  reason?: string;
  /** BAD_USER_INPUT: each bad field and why. */
  fields?: FieldError[];
  eventIds: string[];
}

export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Whether the projections had caught up with the batch's last event when it answered (read your writes); false on a dry run. */
  projected: boolean;
  /** Present (true) on a dry run (`?dryRun=true`): nothing was recorded, statuses say what would happen. */
  dryRun?: true;
  /** One per record, in input order. */
  results: RecordResult[];
}

const MAX_REPORTED_FIELDS = 20;

/** The records of a well-formed batch `{ "records": [ {...}, ... ] }`; otherwise a 400 (or 413 when too many). */
export function recordsOf(body: unknown): Record<string, unknown>[] {
  if (!isObject(body)) throw ApiError.badInput([{ field: 'body', message: 'body must be a JSON object {"records": [...]}' }], 'Malformed batch');
  const extra = Object.keys(body).filter((key) => key !== 'records');
  const fields: FieldError[] = extra.map((key) => ({ field: key, message: `property ${key} should not exist` }));
  const records = body.records;
  if (!Array.isArray(records)) {
    throw ApiError.badInput([...fields, { field: 'records', message: 'records must be an array of record objects' }], 'Malformed batch');
  }
  if (records.length > MAX_BATCH_RECORDS) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `A batch holds at most ${MAX_BATCH_RECORDS} records, got ${records.length}: split it into several requests`);
  }
  records.forEach((record, index) => {
    if (!isObject(record)) fields.push({ field: `records[${index}]`, message: 'each record must be a JSON object' });
  });
  if (fields.length > 0) throw ApiError.badInput(fields.slice(0, MAX_REPORTED_FIELDS), 'Malformed batch');
  return records as Record<string, unknown>[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
