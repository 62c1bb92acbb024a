/**
 * Access: stored API keys (created, expiring, revoked on the `apikeys` stream) and the directory the
 * platform's authentication asks about them. The only way in from the composition root and the tools.
 */
export { AccessModule, accessProjections } from './access.module';
export { ApiKeyDirectoryService } from './write/api-key-directory.service';
export { API_KEYS_STREAM } from './domain/api-key.streams';
export { apiKeyDecider } from './domain/api-key.decider';
