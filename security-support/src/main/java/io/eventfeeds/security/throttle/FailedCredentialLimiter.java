package io.eventfeeds.security.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventfeeds.security.apikey.ApiKeyConfig;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Counts failed credential attempts per client address, so that an address sending keys or tokens that do not
 * authenticate is stopped before its attempts reach Keycloak. {@link CallerRateLimiter} cannot do this: it counts
 * callers once they are authenticated, and these never are.
 *
 * <p>Each failing address has a Bucket4j bucket of {@code feeds.api-keys.failed-attempts-per-client} that refills
 * evenly over {@code feeds.api-keys.failed-attempts-window}; an empty bucket refuses the address. Only addresses that
 * failed get a bucket, so well-behaved callers cost nothing; the map is bounded and forgets an address once its
 * bucket would be full again anyway.
 */
@ApplicationScoped
public class FailedCredentialLimiter {

    private final int allowance;
    private final Duration window;
    private final Cache<String, Bucket> buckets;

    public FailedCredentialLimiter(ApiKeyConfig config) {
        this.allowance = config.failedAttemptsPerClient();
        this.window = config.failedAttemptsWindow();
        this.buckets = Caffeine.newBuilder().maximumSize(config.failedAttemptsMaxClients())
                .expireAfterAccess(window).build();
    }

    /** Empty if the address may try its credentials; else how long it has to wait before its next try. */
    public Optional<Duration> refusal(String client) {
        Bucket bucket = allowance > 0 ? buckets.getIfPresent(networkOf(client)) : null;
        if (bucket == null) {
            return Optional.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Optional.empty() : Optional.of(wholeSeconds(probe.getNanosToWaitForRefill()));
    }

    /** The address presented credentials that did not authenticate. */
    public void failed(String client) {
        if (allowance > 0) {
            buckets.get(networkOf(client), address -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(allowance).refillGreedy(allowance, window)).build())
                    .tryConsume(1);
        }
    }

    /**
     * What one client is counted by: an IPv4 address, or an IPv6 address's /64 network. A single IPv6 host usually
     * gets a whole /64 and may pick any of its 2^64 addresses, so counting addresses would not stop it.
     */
    static String networkOf(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // A literal, so no name lookup happens.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static Duration wholeSeconds(long nanos) {
        return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
