import { isValid } from 'i18n-iso-countries';

/**
 * Codes that country libraries list (or have listed) but that ISO 3166-1 has not assigned to a country:
 * XK is user-assigned (Kosovo), AN transitionally reserved since the Netherlands Antilles were dissolved,
 * EU and UK exceptionally reserved. Using one as a PoP's country would silently match no residency rule.
 */
const NOT_ASSIGNED = new Set(['XK', 'AN', 'EU', 'UK']);

/** True for an officially assigned ISO 3166-1 alpha-2 code, written in upper case ("DE", not "de"). */
export function isAssignedCountryCode(code: string): boolean {
  // isValid alone would also accept lower case, alpha-3 and numeric codes.
  return /^[A-Z]{2}$/.test(code) && !NOT_ASSIGNED.has(code) && isValid(code);
}
