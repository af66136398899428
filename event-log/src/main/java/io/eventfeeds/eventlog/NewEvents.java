package io.eventfeeds.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.EventIds;

/**
 * Stamps an event a publisher just sent with its id, time and publisher. REST (feed-service) and WebSocket (the
 * gateway) publishes go through here, so an idempotency key gives the event the same id whichever way each copy
 * came in, and subscribers get it once.
 */
public final class NewEvents {

    private NewEvents() {
    }

    /**
     * @param type           the publisher's event type, or null for none
     * @param idempotencyKey the publisher's key for this event, or null: a keyed event's id is derived from the
     *                       publisher's subject and the key, so every copy of it (a retry after an unknown outcome)
     *                       carries the same id; any other event gets a new random id
     */
    public static EventEnvelope envelope(Publisher publisher, ChannelName channel, String type, JsonNode data,
            String idempotencyKey) {
        String id = idempotencyKey == null ? EventIds.random() : EventIds.keyed(publisher.subject(), idempotencyKey);
        return new EventEnvelope(id, channel.toString(), type, data, System.currentTimeMillis(), publisher.name());
    }
}
