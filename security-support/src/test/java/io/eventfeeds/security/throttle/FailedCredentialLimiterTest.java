package io.eventfeeds.security.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.security.apikey.ApiKeyConfig;
import io.eventfeeds.security.apikey.StubApiKeyConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedCredentialLimiterTest {

    @Test
    void addressIsRefusedOnceItsFailuresUseUpTheAllowanceAndToldWhenToRetry() {
        FailedCredentialLimiter limiter = new FailedCredentialLimiter(config(3, Duration.ofMinutes(1)));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.refusal("203.0.113.7")).as("before failure %d", i + 1).isEmpty();
            limiter.failed("203.0.113.7");
        }

        // One attempt back every 20 s (3 per minute).
        assertThat(limiter.refusal("203.0.113.7")).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(20)));
    }

    @Test
    void otherAddressesAreNotAffected() {
        FailedCredentialLimiter limiter = new FailedCredentialLimiter(config(2, Duration.ofMinutes(1)));
        limiter.failed("203.0.113.7");
        limiter.failed("203.0.113.7");

        assertThat(limiter.refusal("203.0.113.7")).isPresent();
        assertThat(limiter.refusal("198.51.100.2")).isEmpty();
    }

    @Test
    void anIpv6HostIsCountedByItsSlash64SoPickingAnotherAddressOfItsNetworkDoesNotHelp() {
        FailedCredentialLimiter limiter = new FailedCredentialLimiter(config(2, Duration.ofMinutes(1)));
        limiter.failed("2001:db8:1:2::7");
        limiter.failed("2001:db8:1:2:ffff:1:2:3");

        assertThat(limiter.refusal("2001:db8:1:2:abcd::9")).as("same /64").isPresent();
        assertThat(limiter.refusal("2001:db8:1:3::7")).as("another /64").isEmpty();
    }

    @Test
    void addressThatNeverFailedIsNeverRefused() {
        FailedCredentialLimiter limiter = new FailedCredentialLimiter(config(1, Duration.ofMinutes(1)));

        assertThat(limiter.refusal("203.0.113.7")).isEmpty();
    }

    @Test
    void allowanceComesBackOverTheWindow() {
        FailedCredentialLimiter limiter = new FailedCredentialLimiter(config(2, Duration.ofMillis(400)));
        limiter.failed("203.0.113.7");
        limiter.failed("203.0.113.7");
        assertThat(limiter.refusal("203.0.113.7")).isPresent();

        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.refusal("203.0.113.7").isEmpty());
    }

    @Test
    void zeroAllowanceTurnsTheLimitOff() {
        FailedCredentialLimiter limiter = new FailedCredentialLimiter(config(0, Duration.ofMinutes(1)));
        for (int i = 0; i < 100; i++) {
            limiter.failed("203.0.113.7");
        }

        assertThat(limiter.refusal("203.0.113.7")).isEmpty();
    }

    private static ApiKeyConfig config(int allowance, Duration window) {
        return StubApiKeyConfig.failedAttempts(allowance, window);
    }
}
