package io.eventfeeds.security.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventfeeds.apikey.ApiKeyClaims;
import io.eventfeeds.security.apikey.ApiKeyAuthenticationMechanism;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A token bucket per caller (an API key, or the client and subject of a bearer token), so that one noisy caller
 * is slowed down and no other. A request costs one unit, a batch one per event, a history read one per event it
 * returned. The rate comes from Keycloak, as the {@link ApiKeyClaims#RATE_LIMIT} claim (requests per second; a batch
 * counts its events) that an API key's client puts into its tokens, else from configuration. Buckets are
 * Bucket4j's; the map of them is bounded.
 */
@ApplicationScoped
public class CallerRateLimiter {

    private final ThrottleConfig config;
    private final Cache<String, Bucket> buckets;

    public CallerRateLimiter(ThrottleConfig config) {
        this.config = config;
        this.buckets = Caffeine.newBuilder().maximumSize(config.maxCallers()).expireAfterAccess(config.idleExpiry()).build();
    }

    /** Takes one request from the caller's bucket, or says how long to wait for the next one. */
    public Decision tryAcquire(SecurityIdentity identity) {
        if (!counted(identity)) {
            return Decision.ALLOWED;
        }
        ConsumptionProbe probe = bucketOf(identity).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Decision.ALLOWED;
        }
        return new Decision(false, wholeSeconds(probe.getNanosToWaitForRefill()));
    }

    /**
     * Takes up to {@code wanted} more units from the caller's bucket, as many as it holds: how a batch pays for its
     * events beyond the first (which its request already paid for at the filter), so that a batch costs what the
     * same events sent one by one cost. Says how many were granted and, when fewer, when to retry the rest.
     */
    public Grant acquireUpTo(SecurityIdentity identity, int wanted) {
        if (wanted <= 0 || !counted(identity)) {
            return new Grant(Math.max(0, wanted), Duration.ZERO);
        }
        Bucket bucket = bucketOf(identity);
        int granted = (int) bucket.tryConsumeAsMuchAsPossible(wanted);
        if (granted == wanted) {
            return new Grant(granted, Duration.ZERO);
        }
        return new Grant(granted, wholeSeconds(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /**
     * The units left in the caller's bucket right now, taking none ({@link Integer#MAX_VALUE} for a caller that is
     * not counted): how a history read sizes its page to what the caller can pay before it pays with
     * {@link #charge}.
     */
    public int available(SecurityIdentity identity) {
        if (!counted(identity)) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, bucketOf(identity).getAvailableTokens()));
    }

    /**
     * Takes units for work already done, even beyond what the bucket holds: the caller then owes them, and its
     * next requests are refused until its rate has paid them back. Only for amounts bounded by what
     * {@link #available} said (concurrent requests of one caller may each have been told the same).
     */
    public void charge(SecurityIdentity identity, int units) {
        if (units > 0 && counted(identity)) {
            bucketOf(identity).consumeIgnoringRateLimits(units);
        }
    }

    private boolean counted(SecurityIdentity identity) {
        return config.enabled() && identity != null && !identity.isAnonymous();
    }

    private Bucket bucketOf(SecurityIdentity identity) {
        int rate = rateOf(identity);
        return buckets.get(callerOf(identity) + "@" + rate, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1))).build());
    }

    private static Duration wholeSeconds(long nanos) {
        return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** Who the caller is, as buckets count callers: an API key, or a token's client and subject. */
    public static String callerOf(SecurityIdentity identity) {
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
            Object claim = jwt.getClaim(ApiKeyClaims.RATE_LIMIT);
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

    /** How many of the units asked for were granted, and when the rest might be. */
    public record Grant(int granted, Duration retryAfter) {
    }

    /** Whether a request may go ahead, and if not, after how long to retry. */
    public record Decision(boolean allowed, Duration retryAfter) {
        public static final Decision ALLOWED = new Decision(true, Duration.ZERO);
    }
}
