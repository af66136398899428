package io.eventfeeds.security.throttle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "feeds.throttle")
public interface ThrottleConfig {

    @WithDefault("true")
    boolean enabled();

    /** Requests per second for a caller whose token carries no rate_limit claim. */
    @WithDefault("50")
    int defaultPerSecond();

    /** How many callers' buckets are kept at most; the least recently seen are forgotten first. */
    @WithDefault("100000")
    int maxCallers();

    @WithDefault("10M")
    Duration idleExpiry();
}
