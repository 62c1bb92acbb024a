import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, Role } from './roles.types';

/** A configured key. Only the SHA-256 of the secret is kept, never the secret itself. */
export interface ApiKey {
  name: string;
  role: Role;
  secretHash: Buffer;
}

// One-shot, without a Hash object per call: every request hashes its key, and the object was about a third of it.
export function hashSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

export function generateSecret(): string {
  return `ppl_${randomBytes(24).toString('base64url')}`;
}

/** Parses `name:role:secret,...` (API_KEYS). The message never repeats a secret. */
export function parseApiKeys(value: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const names = new Set<string>();
  value.split(',').forEach((entry, index) => {
    const trimmed = entry.trim();
    const first = trimmed.indexOf(':');
    const second = trimmed.indexOf(':', first + 1);
    if (first <= 0 || second <= first + 1 || second === trimmed.length - 1) {
      throw new Error(`entry ${index + 1} must be name:role:secret`);
    }
    const name = trimmed.slice(0, first);
    const role = trimmed.slice(first + 1, second);
    const secret = trimmed.slice(second + 1);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new Error(`entry ${index + 1}: name must be 1-64 of [A-Za-z0-9._-]`);
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`entry ${index + 1} (${name}): role must be one of ${ROLES.join(', ')}`);
    if (secret.length < 8) throw new Error(`entry ${index + 1} (${name}): secret must be at least 8 characters`);
    if (names.has(name)) throw new Error(`entry ${index + 1}: duplicate name ${name}`);
    names.add(name);
    keys.push({ name, role: role as Role, secretHash: hashSecret(secret) });
  });
  return keys;
}

/** The key whose hash is `presented`. Compares with every key, each in constant time, so timing says nothing about which matched. */
export function findKeyByHash<K extends ApiKey>(keys: readonly K[], presented: Buffer): K | undefined {
  let found: K | undefined;
  for (const key of keys) {
    if (timingSafeEqual(presented, key.secretHash) && !found) found = key;
  }
  return found;
}
