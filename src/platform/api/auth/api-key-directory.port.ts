import { Role } from './roles.types';

/** A stored key as the directory knows it: its lifecycle, never its secret or hash. */
export interface StoredKeyStatus {
  name: string;
  role: Role;
  /** ISO 8601 instants; null: never expires, not revoked. */
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A key the platform stored by itself (the first-start admin key), for the directory to take over. */
export interface PlatformStoredKey {
  name: string;
  role: Role;
  /** ISO 8601 instant. */
  createdAt: string;
}

/**
 * The stored API keys' lifecycle (created, expiring, revoked), kept by a feature; the composition root
 * binds an implementation to API_KEY_DIRECTORY. The platform keeps the secrets' hashes (table
 * `api_keys`) and asks the directory which stored keys exist and which are still valid.
 */
export interface ApiKeyDirectory {
  /** Every stored key, revoked ones included, read fresh from the store (called about 4 times a second). */
  keys(): Promise<readonly StoredKeyStatus[]>;
  /**
   * Records keys the platform stored by itself that the directory does not hold yet (the first-start
   * admin key, also one created by an earlier version); names it already holds are left alone.
   */
  adopt(keys: readonly PlatformStoredKey[]): Promise<void>;
}

export const API_KEY_DIRECTORY = Symbol('API_KEY_DIRECTORY');
