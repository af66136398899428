package io.eventfeeds.security.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventfeeds.security.apikey.ApiKeyAuthenticationMechanism;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A token bucket per caller (an API key, or the client and subject of a bearer token), so that one noisy caller
 * is slowed down and no other. The rate comes from Keycloak, as the {@code rate_limit} claim that an API key's
 * client puts into its tokens, else from configuration. Buckets are Bucket4j's; the map of them is bounded.
 */
@ApplicationScoped
public class CallerRateLimiter {

    /** Token claim with the caller's requests per second, set by Keycloak (./platform api-key create --rate N). */
    public static final String RATE_CLAIM = "rate_limit";

    private final ThrottleConfig config;
    private final Cache<String, Bucket> buckets;

    public CallerRateLimiter(ThrottleConfig config) {
        this.config = config;
        this.buckets = Caffeine.newBuilder().maximumSize(config.maxCallers()).expireAfterAccess(config.idleExpiry()).build();
    }

    /** Takes one request from the caller's bucket, or says how long to wait for the next one. */
    public Decision tryAcquire(SecurityIdentity identity) {
        if (!config.enabled() || identity == null || identity.isAnonymous()) {
            return Decision.ALLOWED;
        }
        int rate = rateOf(identity);
        Bucket bucket = buckets.get(callerOf(identity) + "@" + rate, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Decision.ALLOWED;
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Decision(false, Duration.ofSeconds(seconds));
    }

    static String callerOf(SecurityIdentity identity) {
        String apiKey = identity.getAttribute(ApiKeyAuthenticationMechanism.API_KEY_ATTRIBUTE);
        if (apiKey != null) {
            return "key:" + apiKey;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            return "token:" + jwt.getClaim("azp") + ":" + jwt.getSubject();
        }
        return "principal:" + identity.getPrincipal().getName();
    }

    private int rateOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(RATE_CLAIM);
            if (claim != null) {
                try {
                    int rate = Integer.parseInt(claim.toString().trim());
                    if (rate > 0) {
                        return rate;
                    }
                } catch (NumberFormatException ignored) {
                    // A malformed claim falls back to the configured default rather than refusing the caller.
                }
            }
        }
        return config.defaultPerSecond();
    }

    /** Whether a request may go ahead, and if not, after how long to retry. */
    public record Decision(boolean allowed, Duration retryAfter) {
        public static final Decision ALLOWED = new Decision(true, Duration.ZERO);
    }
}
