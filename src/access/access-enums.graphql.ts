import { registerEnumType } from '@nestjs/graphql';
import { API_KEY_ROLES, API_KEY_SOURCES, ApiKeyRole } from './domain/api-key.enums';

/** `ApiKeyRole`: ADMIN, PLANNER, … in GraphQL, the lowercase role names (as in API_KEYS) inside. */
export const ApiKeyRoleEnum = Object.fromEntries(API_KEY_ROLES.map((role) => [role.toUpperCase(), role])) as { [K in ApiKeyRole as Uppercase<K>]: K };
registerEnumType(ApiKeyRoleEnum, { name: 'ApiKeyRole', description: 'The role of an API key (docs/api.md, "Access")' });

export const ApiKeySourceEnum = Object.fromEntries(API_KEY_SOURCES.map((source) => [source, source])) as { [K in (typeof API_KEY_SOURCES)[number]]: K };
registerEnumType(ApiKeySourceEnum, { name: 'ApiKeySource', description: 'ENVIRONMENT: from API_KEYS; STORED: created through the API (or the first-start admin key)' });
