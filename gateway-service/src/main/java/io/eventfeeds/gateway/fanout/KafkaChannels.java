package io.eventfeeds.gateway.fanout;

/**
 * Reactive Messaging channel names, shared by code, configuration keys and tests. Publishes go out through
 * {@link io.eventfeeds.eventlog.EventLogChannels#EVENTS_OUT}.
 */
public final class KafkaChannels {

    /** Reads {@link io.eventfeeds.events.EventTopics#EVENTS} with a consumer group of this instance's own. */
    public static final String EVENTS_IN = "events-in";

    private KafkaChannels() {
    }
}
