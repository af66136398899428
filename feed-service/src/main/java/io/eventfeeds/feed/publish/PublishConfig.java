package io.eventfeeds.feed.publish;

import io.eventfeeds.events.EventIds;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits and timings of publishing; docs/events.md lists the keys. */
@ConfigMapping(prefix = "feeds.publish")
public interface PublishConfig {

    /** Largest body of a single-event POST, and largest {@code data} of one event in a batch. */
    @WithDefault("64K")
    MemorySize maxEventSize();

    /** Most events in one batch POST. */
    @WithDefault("500")
    int maxBatchEvents();

    /**
     * How long an HTTP answer waits for Kafka's acknowledgement of an event the producer took, before it answers
     * 503 {@code event-outcome-unknown}. Slightly longer than the producer's {@code delivery.timeout.ms}, which
     * normally answers first; this only guards against a lost callback.
     */
    @WithDefault("12S")
    Duration ackTimeout();

    /**
     * How long an event may wait for Kafka's producer to take it. The producer takes an event within milliseconds
     * unless the broker is away (it waits for metadata) or its buffer is full; an event not taken by then is
     * abandoned, will never be written, and is answered 503 {@code event-log-unavailable}.
     */
    @WithDefault("1S")
    Duration handOverTimeout();

    /**
     * While Kafka is away (an event was abandoned or timed out, and none was acknowledged since), publishes are
     * answered 503 at once, except one per this interval, which tries the broker.
     */
    @WithDefault("1S")
    Duration outageProbeInterval();

    /** The {@code Retry-After} a 503 suggests. */
    @WithDefault("5S")
    Duration retryAfter();

    Idempotency idempotency();

    interface Idempotency {
        /** How long a POST's answer is remembered under its {@code Idempotency-Key}. */
        @WithDefault("10M")
        Duration window();

        /** Most remembered keys (all callers together); the oldest are forgotten first. */
        @WithDefault("100000")
        long maxKeys();

        @WithDefault("" + EventIds.MAX_KEY_LENGTH)
        int maxKeyLength();
    }
}
