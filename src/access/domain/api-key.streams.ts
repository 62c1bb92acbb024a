/** The one stream of stored API keys: every key's creation and revocation (docs/api.md, "API keys"). */
export const API_KEYS_STREAM = 'apikeys';
