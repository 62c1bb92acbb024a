import { registerDecorator, ValidationOptions } from 'class-validator';

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** An absolute http:// or https:// URL with a host (no other scheme is ever called). */
export function isWebhookUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_WEBHOOK_URL_LENGTH) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const IsWebhookUrl = (options?: ValidationOptions) => (target: object, propertyName: string) =>
  registerDecorator({
    name: 'isWebhookUrl',
    target: target.constructor,
    propertyName,
    options: { message: `$property must be an absolute http:// or https:// URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters`, ...options },
    validator: { validate: isWebhookUrl },
  });
