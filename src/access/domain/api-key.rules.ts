/** A stored key's name: 1 to 64 of a-z, 0-9 and "-" (docs/api.md, "API keys"). */
export const API_KEY_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;

export function isApiKeyName(name: string): boolean {
  return API_KEY_NAME_PATTERN.test(name);
}
