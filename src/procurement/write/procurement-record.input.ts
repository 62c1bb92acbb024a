import { hash } from 'node:crypto';
import { FieldError } from '../../platform/api/errors/api-error.types';
import { parseDate } from '../../platform/api/scalars/date.scalar';
import { parseDateTime } from '../../platform/api/scalars/date-time.scalar';
import { PopCommandInput } from '../../inventory';
import { toFieldErrors, nulCharacterFields } from '../../platform/api/validation/validation.pipe';
import { plainToInput } from '../../platform/api/validation/plain-input.transform';
import { validateInputSync } from '../../platform/api/validation/compiled-constraints.validators';
import { PROCUREMENT_KIND_NAMES, ProcurementKind, procurementKind } from './procurement-kinds.rules';

export const MAX_EXTERNAL_ID_LENGTH = 200;
/**
 * Deeper than any record field can be (money is one object): such a value is refused before
 * class-transformer and class-validator recurse into it, which overflow the stack on a few thousand levels.
 */
export const MAX_FIELD_DEPTH = 8;

/**
 * CommandInput fields a record must not carry: the commandId and effectiveAt are derived, revisions are
 * not pinned, and a dry run is the whole batch's (`?dryRun=true`), not a record's.
 */
const DERIVED_FIELDS = ['commandId', 'effectiveAt', 'expectedRevision', 'dryRun'];

/** A record that passed validation: its mutation input, with commandId and effectiveAt filled in. */
export interface ValidRecord {
  externalId: string;
  kind: ProcurementKind;
  input: PopCommandInput;
}

export type RecordCheck = { valid: true; record: ValidRecord } | { valid: false; externalId: string | null; fields: FieldError[] };

/**
 * The idempotency key of a record: deterministic, so a resent record is recognised as the same
 * command; 52 characters of the ID alphabet (docs/domain.md, "Streams and time").
 */
export function commandIdOf(externalId: string): string {
  return `procurement:${hash('sha256', externalId, 'hex').slice(0, 40)}`;
}

/** Validates one record with the same input class (and scalars) as its mutation, reporting every bad field. */
export function checkRecord(raw: Record<string, unknown>): RecordCheck {
  const { externalId, kind: kindName, occurredAt, ...fields } = raw;
  const errors: FieldError[] = [];
  const id = typeof externalId === 'string' && externalId.length >= 1 && externalId.length <= MAX_EXTERNAL_ID_LENGTH ? externalId : undefined;
  if (id === undefined) errors.push({ field: 'externalId', message: `externalId must be a string of 1-${MAX_EXTERNAL_ID_LENGTH} characters` });
  const kind = procurementKind(kindName);
  if (!kind) errors.push({ field: 'kind', message: `kind must be one of ${PROCUREMENT_KIND_NAMES.join(', ')}${kindName === undefined ? '' : `, got ${JSON.stringify(kindName)}`}` });
  const effectiveAt = attempt(() => parseDateTime(occurredAt));
  if (effectiveAt === undefined) {
    errors.push({ field: 'occurredAt', message: 'occurredAt must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z' });
  }
  for (const field of DERIVED_FIELDS.filter((f) => f in fields)) {
    const why = field === 'dryRun' ? 'a dry run is asked for the whole batch with ?dryRun=true' : 'commandId and effectiveAt come from externalId and occurredAt';
    errors.push({ field, message: `${field} is not allowed in a procurement record: ${why}` });
    delete fields[field];
  }
  for (const field of Object.keys(fields).filter((f) => nestedDeeperThan(fields[f], MAX_FIELD_DEPTH))) {
    errors.push({ field, message: `${field} is nested deeper than ${MAX_FIELD_DEPTH} levels` });
    delete fields[field];
  }
  errors.push(...nulCharacterFields(fields));
  let input: PopCommandInput | undefined;
  if (kind) {
    input = attempt(() => plainToInput(kind.input, fields));
    if (!input) return { valid: false, externalId: id ?? null, fields: [...errors, { field: 'record', message: 'record fields cannot be read' }] };
    errors.push(...toFieldErrors(validateInputSync(input, { whitelist: true, forbidNonWhitelisted: true })));
    for (const field of kind.dateFields) {
      const value = fields[field];
      if (typeof value === 'string' && attempt(() => parseDate(value)) === undefined) {
        errors.push({ field, message: `${field} must be an existing date YYYY-MM-DD, got ${JSON.stringify(value)}` });
      }
    }
  }
  if (errors.length > 0 || !kind || !input || id === undefined) return { valid: false, externalId: id ?? null, fields: errors };
  input.commandId = commandIdOf(id);
  input.effectiveAt = effectiveAt;
  return { valid: true, record: { externalId: id, kind, input } };
}

/** Whether objects or arrays in `value` go more than `levels` deep; it looks no deeper than that. */
function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  return levels === 0 || Object.values(value).some((inner) => nestedDeeperThan(inner, levels - 1));
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
