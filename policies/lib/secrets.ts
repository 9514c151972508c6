/** Rotation classes of secrets (SEC-1): the tag `rotation-class` names the class; config gives the limit. */
export const ROTATION_CLASS_TAG = "rotation-class";

/**
 * Default longest rotation interval per class, in days (SEC-1: database/JWT 90, API keys 365, Redis AUTH 90).
 * `external`: keys issued by a vendor, which no code of ours can rotate; the limit is their longest age,
 * watched by an age alarm instead of a rotation (the vendor's key is renewed by hand, docs/runbooks).
 */
export const DEFAULT_ROTATION_LIMITS: Record<string, number> = {
    database: 90,
    jwt: 90,
    "api-key": 365,
    "redis-auth": 90,
    external: 365,
};

/** The rotation class of vendor-issued secrets: an age alarm instead of a rotation (SEC-1). */
export const EXTERNAL_CLASS = "external";
/** Tag of an external secret: its longest age in days (SEC-1). */
export const MAX_AGE_TAG = "max-age-days";
/** Tag of the EventBridge rule that is an external secret's age alarm: the secret's name (SEC-1). */
export const AGE_ALARM_TAG = "age-alarm-for";

export const ROTATION_LIMITS_SCHEMA = {
    type: "object" as const,
    additionalProperties: { type: "integer" as const, minimum: 1, maximum: 365 },
    default: DEFAULT_ROTATION_LIMITS,
    description: "Longest rotation interval in days per rotation class.",
};
