package io.eventfeeds.gateway.fanout;

/** Reactive Messaging channel names, shared by code, configuration keys and tests. */
public final class KafkaChannels {

    /** Reads {@link io.eventfeeds.events.EventTopics#EVENTS} with a consumer group of this instance's own. */
    public static final String EVENTS_IN = "events-in";

    /** Writes clients' publishes to {@link io.eventfeeds.events.EventTopics#EVENTS}, acks=all, idempotent. */
    public static final String EVENTS_OUT = "events-out";

    private KafkaChannels() {
    }
}
