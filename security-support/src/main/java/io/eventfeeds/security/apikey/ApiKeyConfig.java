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

    /** Bound on the number of keys remembered, so that a flood of random keys cannot grow memory. */
    @WithDefault("10000")
    int cacheSize();

    /** Keycloak's token endpoint; by default derived from quarkus.oidc.auth-server-url. */
    Optional<String> tokenEndpoint();

    @WithDefault("5S")
    Duration exchangeTimeout();
}
