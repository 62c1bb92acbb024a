/** The roles a stored key may have: the same names as the platform's roles (docs/api.md, "Access"). */
export const API_KEY_ROLES = ['admin', 'planner', 'procurement', 'compliance', 'viewer'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Where a key comes from: the API_KEYS variable, or the `apikeys` stream. */
export const API_KEY_SOURCES = ['ENVIRONMENT', 'STORED'] as const;
export type ApiKeySource = (typeof API_KEY_SOURCES)[number];
