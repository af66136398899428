package io.eventfeeds.apikey;

/**
 * The claims that {@code ./platform api-key create} hard-codes into a key's tokens, named once here because the tool
 * that writes them and the services that read them are built apart: a renamed claim on one side only would silently
 * give every key the default limits. The services read them from any token that carries them, not only a key's.
 */
public final class ApiKeyClaims {

    /** Requests per second of the caller (security-support's CallerRateLimiter). */
    public static final String RATE_LIMIT = "rate_limit";
    /** Open WebSocket connections of the caller per gateway instance (gateway-service's ConnectionsPerCaller). */
    public static final String MAX_CONNECTIONS = "max_connections";

    private ApiKeyClaims() {
    }
}
