package io.eventfeeds.feed.publish;

/** Reactive Messaging channel names, shared by code, configuration keys and tests. */
public final class KafkaChannels {

    /** Writes {@link io.eventfeeds.events.EventEnvelope}s to {@link io.eventfeeds.events.EventTopics#EVENTS}. */
    public static final String EVENTS_OUT = "events-out";

    private KafkaChannels() {
    }
}
