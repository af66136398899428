package io.eventfeeds.feed.history;

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

    /** Kafka consumers kept for reads; more concurrent reads wait for a free one (within the time budget). */
    @WithDefault("4")
    int consumers();
}
