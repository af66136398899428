package io.eventfeeds.feed.publish;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a publisher gets back once Kafka acknowledged its event. */
@Schema(name = "AcceptedEvent")
public record AcceptedEvent(
        @Schema(description = "server-made unique event id") String id,
        String channel,
        @Schema(description = "opaque position of the event in its channel; pass it as `since` to read what follows")
        String position,
        @Schema(description = "milliseconds since the epoch when feed-service accepted the event") long ts) {
}
