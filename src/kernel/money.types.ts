/** An amount as a decimal string (never a binary float) in an ISO 4217 currency. */
export type Money = { amount: string; currency: string };
