package io.eventfeeds.gateway.fanout;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.eventfeeds.events.EventIds;
import io.eventfeeds.gateway.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The keyed events (ids from {@link EventIds#keyed}) delivered lately, per channel, so that a second copy of one in
 * the log (a publisher's retry that reached Kafka twice: after a lost acknowledgement, a restart, through another
 * feed-service instance) is not delivered again within {@code feeds.gateway.repeated-events.window}. Events with
 * random ids cannot repeat and cost nothing here. Only the fan-out's consumer thread calls it per event, never per
 * delivery; a replay keeps its own set (Replayer).
 */
@ApplicationScoped
public class RepeatedEvents {

    private final Cache<String, Boolean> delivered;
    private final Counter dropped;

    @Inject
    public RepeatedEvents(GatewayConfig config, MeterRegistry registry) {
        this(config.repeatedEvents().window(), config.repeatedEvents().maxIds(), Ticker.systemTicker(), registry);
    }

    RepeatedEvents(Duration window, long maxIds, Ticker ticker, MeterRegistry registry) {
        this.delivered = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxIds).ticker(ticker).build();
        this.dropped = Counter.builder("feeds.gateway.repeated.events.dropped")
                .description("Copies of a keyed event not delivered again: the same id on the same channel within the window")
                .register(registry);
    }

    /** True the first time the event's id shows up on the channel within the window; always for unkeyed ids. */
    public boolean firstTime(String channel, String id) {
        if (!EventIds.isKeyed(id)) {
            return true;
        }
        boolean first = delivered.asMap().putIfAbsent(channel + '\n' + id, Boolean.TRUE) == null;
        if (!first) {
            dropped.increment();
        }
        return first;
    }
}
