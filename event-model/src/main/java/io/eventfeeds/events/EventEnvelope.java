package io.eventfeeds.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON value of every record on {@link EventTopics#EVENTS}; its schema is documented in docs/events.md so
 * that any Kafka producer can publish an event the gateway fans out.
 *
 * @param id        unique event id, made by whoever wrote the record (feed-service and the gateway use UUIDs)
 * @param channel   the channel, equal to the record key
 * @param type      optional event type chosen by the publisher
 * @param data      any JSON value
 * @param ts        milliseconds since the epoch when the event was accepted
 * @param publisher the authenticated identity that published it, set by the services, never by the client
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(String id, String channel, String type, JsonNode data, long ts, String publisher) {

    /** Longest {@code type} a publisher may choose, in characters; both services refuse longer ones. */
    public static final int MAX_TYPE_LENGTH = 128;
}
