package io.eventfeeds.security.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.security.apikey.ApiKeyAuthenticationMechanism;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallerRateLimiterTest {

    private final CallerRateLimiter limiter = new CallerRateLimiter(config(3));

    @Test
    void callerOverItsRateIsToldWhenToRetry() {
        SecurityIdentity noisy = apiKeyCaller("apikey-noisy");
        // Counted until refused rather than exactly 3: a cold JVM may take long enough here for the bucket to refill.
        int allowed = 0;
        CallerRateLimiter.Decision refused;
        while ((refused = limiter.tryAcquire(noisy)).allowed() && allowed < 100) {
            allowed++;
        }
        assertThat(allowed).isGreaterThanOrEqualTo(3);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void batchGetsOnlyTheUnitsLeftInTheBucketAndIsToldWhenToRetryTheRest() {
        SecurityIdentity batcher = apiKeyCaller("apikey-batcher");
        assertThat(limiter.tryAcquire(batcher).allowed()).isTrue();

        CallerRateLimiter.Grant grant = limiter.acquireUpTo(batcher, 499);

        assertThat(grant.granted()).isEqualTo(2);
        assertThat(grant.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire(batcher).allowed()).as("the batch emptied the bucket").isFalse();
    }

    @Test
    void batchWithinTheBucketIsGrantedWhole() {
        CallerRateLimiter.Grant grant = limiter.acquireUpTo(apiKeyCaller("apikey-small"), 2);

        assertThat(grant.granted()).isEqualTo(2);
        assertThat(grant.retryAfter()).isZero();
    }

    @Test
    void chargingMoreThanTheBucketHoldsIsOwedAndRefusesTheCallerUntilRepaid() {
        SecurityIdentity reader = apiKeyCaller("apikey-reader");
        assertThat(limiter.available(reader)).isEqualTo(3);

        limiter.charge(reader, 9);

        assertThat(limiter.available(reader)).isZero();
        CallerRateLimiter.Decision refused = limiter.tryAcquire(reader);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).as("6 units owed at 3 per second, and one to take")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void oneNoisyCallerDoesNotSlowAnother() {
        SecurityIdentity noisy = apiKeyCaller("apikey-noisy");
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire(noisy);
        }
        assertThat(limiter.tryAcquire(apiKeyCaller("apikey-quiet")).allowed()).isTrue();
    }

    @Test
    void callersAreToldApartByApiKeyBeforePrincipal() {
        SecurityIdentity viaKey = apiKeyCaller("apikey-a");
        assertThat(CallerRateLimiter.callerOf(viaKey)).isEqualTo("key:apikey-a");
        SecurityIdentity plain = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("bob")).build();
        assertThat(CallerRateLimiter.callerOf(plain)).isEqualTo("principal:bob");
    }

    @Test
    void anonymousRequestsAreLeftToAuthentication() {
        SecurityIdentity anonymous = QuarkusSecurityIdentity.builder().setAnonymous(true).build();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(anonymous).allowed()).isTrue();
        }
    }

    private static SecurityIdentity apiKeyCaller(String client) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("service-account-" + client))
                .addAttribute(ApiKeyAuthenticationMechanism.API_KEY_ATTRIBUTE, client).build();
    }

    private static ThrottleConfig config(int perSecond) {
        return new ThrottleConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int defaultPerSecond() {
                return perSecond;
            }

            @Override
            public int maxCallers() {
                return 100;
            }

            @Override
            public Duration idleExpiry() {
                return Duration.ofMinutes(1);
            }
        };
    }
}
