/**
 * Outbound events: the outbox of integration events (capacity status changes, residency violations, the
 * inventory change feed), webhook subscriptions and their delivery, NATS JetStream publishing. The only
 * way in from the composition root and the tools.
 */
export { OutboundModule, outboundProjections } from './outbound.module';
export { outboundMigrations } from './outbound.migrations';
export { OUTBOUND_EVENT_TYPES } from './domain/outbound.enums';
export type { OutboundEventType } from './domain/outbound.enums';
export { webhookSignature, verifyWebhookSignature } from './domain/webhook-signature.rules';
