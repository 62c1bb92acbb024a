import { getMetadataStorage } from 'class-validator';
import { CommandOf, InputFor } from '../../platform/commands/domain-command.factory';
import { AddPowerFeedInput, ConnectCarrierInput, DisconnectCarrierInput, InstallDeviceInput, LeaseSiteInput, PopCommand, PopCommandInput, TerminateLeaseInput } from '../../inventory';

export interface ProcurementKind {
  /** The PoP command (and GraphQL mutation) the record becomes. */
  command: PopCommand['type'];
  /** The mutation's own input class: records are validated exactly like the mutation. */
  input: new () => PopCommandInput;
  /** Fields of GraphQL type `Date` (the scalar checks them in GraphQL; records need the same check). */
  dateFields: readonly string[];
}

/** Procurement record kinds and the mutation each one maps to (docs/api.md, "Procurement integration"). */
export const PROCUREMENT_KINDS = {
  LEASE_SIGNED: { command: 'LeaseSite', input: LeaseSiteInput, dateFields: ['startsOn', 'endsOn'] },
  LEASE_ENDED: { command: 'TerminateLease', input: TerminateLeaseInput, dateFields: ['endsOn'] },
  POWER_DELIVERED: { command: 'AddPowerFeed', input: AddPowerFeedInput, dateFields: [] },
  CIRCUIT_DELIVERED: { command: 'ConnectCarrier', input: ConnectCarrierInput, dateFields: [] },
  CIRCUIT_CEASED: { command: 'DisconnectCarrier', input: DisconnectCarrierInput, dateFields: [] },
  DEVICE_DELIVERED: { command: 'InstallDevice', input: InstallDeviceInput, dateFields: [] },
} as const satisfies Record<string, ProcurementKind>;

/**
 * `K` when every kind's input class carries exactly its command's data (the check that
 * `commandsOf().from` makes at a call site); a kind that pairs the wrong input becomes `never`.
 */
export type ProcurementKindsChecked<K extends Record<string, ProcurementKind>> = {
  [N in keyof K]: [InputFor<CommandOf<PopCommand, K[N]['command']>['data'], InstanceType<K[N]['input']>>] extends [never] ? never : K[N];
};
// Compile-time only: the batch service turns records into commands with `fromChecked`, relying on it.
void (PROCUREMENT_KINDS satisfies ProcurementKindsChecked<typeof PROCUREMENT_KINDS>);

export type ProcurementKindName = keyof typeof PROCUREMENT_KINDS;

export const PROCUREMENT_KIND_NAMES = Object.keys(PROCUREMENT_KINDS) as ProcurementKindName[];

export function procurementKind(name: unknown): ProcurementKind | undefined {
  return typeof name === 'string' && Object.hasOwn(PROCUREMENT_KINDS, name) ? PROCUREMENT_KINDS[name as ProcurementKindName] : undefined;
}

const numericFieldsCache = new Map<ProcurementKind, ReadonlySet<string>>();

/** Top-level fields the input class validates as numbers (CSV cells are text until converted). */
export function numericFields(kind: ProcurementKind): ReadonlySet<string> {
  let fields = numericFieldsCache.get(kind);
  if (!fields) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(kind.input, '', true, false);
    fields = new Set(metadata.filter((m) => m.name === 'isInt' || m.name === 'isNumber').map((m) => m.propertyName));
    numericFieldsCache.set(kind, fields);
  }
  return fields;
}
