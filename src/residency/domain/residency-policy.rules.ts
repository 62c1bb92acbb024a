import { memoize } from '../../kernel/memoize.util';
import { isGroupName, membersAt, type GroupName, type Member } from '../../kernel/country-groups.util';
import type { PlacementRole, PolicyView } from './residency.types';

export interface Verdict {
  outcome: 'COMPLIANT' | 'VIOLATION';
  reason: string;
}

/** Judges one placement's country and role against one policy. */
export type Judge = (countryCode: string, role: PlacementRole) => Verdict;

/** Group membership on one day, computed once per group and shared by all policies of an evaluation. */
export type GroupsOnDay = (group: GroupName) => ReadonlyMap<string, Member>;

export function groupsOnDay(date: string): GroupsOnDay {
  return memoize((group: GroupName) => new Map(membersAt(group, date).map((member) => [member.country, member])));
}

/** Where a country stands against a policy's lists; denied wins over every allowance. */
type Standing =
  | { kind: 'denied' }
  | { kind: 'listed' }
  | { kind: 'group'; group: GroupName; member: Member }
  | { kind: 'outside' };

function describe(standing: Standing, allowedList: string): string {
  switch (standing.kind) {
    case 'denied':
      return 'is a denied country';
    case 'listed':
      return 'is an allowed country';
    case 'group':
      return standing.member.partial === undefined
        ? `is in ${standing.group} (allowed group)`
        : `is in ${standing.group} (allowed group, partial adequacy: ${standing.member.partial})`;
    case 'outside':
      return `is not in the allowed set (allowed: ${allowedList})`;
  }
}

const verdict = (compliant: boolean, reason: string): Verdict => ({
  outcome: compliant ? 'COMPLIANT' : 'VIOLATION',
  reason,
});

/** Compiles a policy into a judge: its allowed set is built once, each (country, role) verdict once. */
export function compileRule(policy: PolicyView, groups: GroupsOnDay): Judge {
  const denied = new Set(policy.deniedCountries);
  const listed = new Set(policy.allowedCountries);
  const allowedGroups = policy.allowedGroups.filter(isGroupName).map((group) => ({ group, members: groups(group) }));
  const allowedList = [...policy.allowedGroups, ...policy.allowedCountries].join(', ') || 'none';

  const standingOf = (country: string): Standing => {
    if (denied.has(country)) return { kind: 'denied' };
    if (listed.has(country)) return { kind: 'listed' };
    for (const { group, members } of allowedGroups) {
      const member = members.get(country);
      if (member !== undefined) return { kind: 'group', group, member };
    }
    return { kind: 'outside' };
  };

  const judge = (country: string, role: PlacementRole): Verdict => {
    const standing = standingOf(country);
    const inAllowedSet = standing.kind === 'listed' || standing.kind === 'group';
    const predicate = describe(standing, allowedList);
    switch (policy.kind) {
      case 'ALLOWED_LOCATIONS':
        return verdict(inAllowedSet, `ALLOWED_LOCATIONS: ${country} ${predicate}`);
      case 'PRIMARY_COPY_IN':
        if (role === 'PRIMARY') {
          return verdict(inAllowedSet, `PRIMARY_COPY_IN: PRIMARY in ${country}, which ${predicate}`);
        }
        return standing.kind === 'denied'
          ? verdict(false, `PRIMARY_COPY_IN: ${role} in ${country}, which ${predicate}`)
          : verdict(true, `PRIMARY_COPY_IN: ${role} in ${country} avoids denied countries`);
    }
  };

  const judgeRole = memoize((role: PlacementRole) => memoize((country: string) => judge(country, role)));
  return (country, role) => judgeRole(role)(country);
}
