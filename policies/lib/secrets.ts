/** Rotation classes of secrets (SEC-1): the tag `rotation-class` names the class; config gives the limit. */
export const ROTATION_CLASS_TAG = "rotation-class";

/** Default longest rotation interval per class, in days (SEC-1: database/JWT 90, API keys 365, Redis AUTH 90). */
export const DEFAULT_ROTATION_LIMITS: Record<string, number> = {
    "database": 90,
    "jwt": 90,
    "api-key": 365,
    "redis-auth": 90,
};

export const ROTATION_LIMITS_SCHEMA = {
    type: "object" as const,
    additionalProperties: { type: "integer" as const, minimum: 1, maximum: 365 },
    default: DEFAULT_ROTATION_LIMITS,
    description: "Longest rotation interval in days per rotation class.",
};
