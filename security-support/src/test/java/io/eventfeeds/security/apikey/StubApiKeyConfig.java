package io.eventfeeds.security.apikey;

import java.time.Duration;
import java.util.Optional;

/** ApiKeyConfig with the defaults, except what a test sets. */
public record StubApiKeyConfig(Duration refusedCacheTtl, Optional<String> tokenEndpoint, int maxPendingExchanges,
        int maxPendingRechecks, int failedAttemptsPerClient, Duration failedAttemptsWindow) implements ApiKeyConfig {

    public static StubApiKeyConfig refusedFor(Duration refusedCacheTtl) {
        return new StubApiKeyConfig(refusedCacheTtl, Optional.empty(), 64, 16, 20, Duration.ofMinutes(1));
    }

    public static StubApiKeyConfig lanes(String tokenEndpoint, int maxPendingExchanges, int maxPendingRechecks) {
        return new StubApiKeyConfig(Duration.ofSeconds(5), Optional.of(tokenEndpoint), maxPendingExchanges,
                maxPendingRechecks, 20, Duration.ofMinutes(1));
    }

    public static StubApiKeyConfig failedAttempts(int perClient, Duration window) {
        return new StubApiKeyConfig(Duration.ofSeconds(5), Optional.empty(), 64, 16, perClient, window);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String header() {
        return "X-API-Key";
    }

    @Override
    public Duration cacheTtl() {
        return Duration.ofMinutes(1);
    }

    @Override
    public int cacheSize() {
        return 100;
    }

    @Override
    public Duration exchangeTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Duration unavailableRetryAfter() {
        return Duration.ofSeconds(5);
    }

    @Override
    public int maxFailedRechecks() {
        return 3;
    }

    @Override
    public int failedAttemptsMaxClients() {
        return 100;
    }
}
