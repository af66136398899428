package io.eventfeeds.feed.history;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Reading a channel's past events from Kafka for GET /api/v1/channels/{channel}/events. */
@ConfigMapping(prefix = "feeds.history")
public interface HistoryConfig {

    @WithDefault("100")
    int defaultLimit();

    @WithDefault("1000")
    int maxLimit();

    /** Longest a read may scan Kafka; what was found by then is answered, with {@code more: true}. */
    @WithDefault("3S")
    Duration timeBudget();

    /**
     * Event log readers (a Kafka consumer each) kept for reads; more concurrent reads wait for a free one (within the
     * time budget).
     */
    @WithDefault("4")
    int consumers();

    /**
     * Most bytes of event JSON in one page, so that a page of large events cannot take the heap: the page ends
     * early with {@code more: true}. A single event larger than this is still answered, alone.
     */
    @WithDefault("1M")
    MemorySize maxPageBytes();

    /**
     * Reads one caller may have in flight (from the request until its answer is sent or the client is gone), so
     * that one caller cannot hold all {@link #consumers()} nor pile up pages in memory; more are answered 429.
     */
    @WithDefault("2")
    int maxConcurrentPerCaller();
}
