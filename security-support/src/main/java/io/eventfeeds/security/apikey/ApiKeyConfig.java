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
     * working. A key in use is checked again in the background after three quarters of it, so that its callers do not
     * wait for that check.
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

    /**
     * Retry-After of the 503 that a key gets when it could not be checked: Keycloak is unreachable, or too many
     * exchanges are already waiting for it ({@link #maxPendingExchanges()}).
     */
    @WithDefault("5S")
    Duration unavailableRetryAfter();

    /**
     * Exchanges for authentication that may be in flight or waiting for a connection to Keycloak at once; one more
     * is answered 503 at once instead of queueing, so that a flood of keys cannot build an endless queue in front of
     * Keycloak that every good key then waits in.
     */
    @WithDefault("64")
    int maxPendingExchanges();

    /**
     * The same bound for the checks of keys already in use (the gateway's periodic re-checks of open connections'
     * keys, and the background checks of trusted keys), which go through a client of their own so that a flood of
     * new keys cannot starve them.
     */
    @WithDefault("16")
    int maxPendingRechecks();

    /**
     * Re-checks of an open connection's key that may fail in a row (Keycloak unreachable or too busy) before the
     * connection is closed: an unverifiable key must not keep a connection open forever.
     */
    @WithDefault("3")
    int maxFailedRechecks();

    /**
     * Failed credential attempts (answered 401) that one client address may make per
     * {@link #failedAttemptsWindow()}; past them its requests with credentials get 429 before any call to Keycloak.
     * 0 turns the limit off.
     */
    @WithDefault("20")
    int failedAttemptsPerClient();

    /** The window of {@link #failedAttemptsPerClient()}: the allowance refills evenly over it. */
    @WithDefault("1M")
    Duration failedAttemptsWindow();

    /** Bound on the number of client addresses whose failures are remembered, so that memory stays bounded. */
    @WithDefault("100000")
    int failedAttemptsMaxClients();
}
