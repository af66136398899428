package io.eventfeeds.events;

/**
 * Kafka topic names, shared by the services, the tests and (by value) the {@code ./platform} script and manifests.
 *
 * <p>All channels share one topic keyed by channel name: Kafka keeps one key's records in one partition, so each
 * channel's events stay in order, and a gateway needs one subscription to see every channel.
 */
public final class EventTopics {

    /** Every channel's events, record key = channel name, value = {@link EventEnvelope} as JSON. */
    public static final String EVENTS = "feeds.events";

    private EventTopics() {
    }
}
