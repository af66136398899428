package io.eventfeeds.eventlog;

/** Reactive Messaging channel names of the event log, shared by code, configuration keys and tests. */
public final class EventLogChannels {

    /** Writes {@link io.eventfeeds.events.EventEnvelope}s to {@link io.eventfeeds.events.EventTopics#EVENTS}. */
    public static final String EVENTS_OUT = "events-out";

    private EventLogChannels() {
    }
}
