package io.eventfeeds.security.apikey;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "feeds.api-keys")
public interface ApiKeyConfig {

    /** Whether X-API-Key is accepted at all. */
    @WithDefault("true")
    boolean enabled();

    /** The header that carries the key. */
    @WithDefault("X-API-Key")
    String header();

    /**
     * How long a validated key is trusted without asking Keycloak again; also the longest a revoked key keeps
     * working.
     */
    @WithDefault("60S")
    Duration cacheTtl();

    /**
     * How long a key that Keycloak refused (unknown, revoked, wrong secret) is refused without asking Keycloak again,
     * so that a caller retrying a bad key in a loop does not send every attempt on to Keycloak. Short, because a key
     * issued right after is a different key anyway, and 0 turns it off.
     */
    @WithDefault("5S")
    Duration refusedCacheTtl();

    /** Bound on the number of keys remembered, so that a flood of random keys cannot grow memory. */
    @WithDefault("10000")
    int cacheSize();

    /** Keycloak's token endpoint; by default derived from quarkus.oidc.auth-server-url. */
    Optional<String> tokenEndpoint();

    /** Longest wait for Keycloak's answer to an exchange; past it the key counts as not checkable (503). */
    @WithDefault("5S")
    Duration exchangeTimeout();

    /** Retry-After of the 503 that a key gets while Keycloak is unreachable and the key is not cached. */
    @WithDefault("5S")
    Duration unavailableRetryAfter();
}
