package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a batch publish; only its OpenAPI schema is used, the resource reads the JSON itself. */
@Schema(name = "BatchRequest")
public record BatchRequest(@Schema(description = "1 to feeds.publish.max-batch-events (500) events") List<Event> events) {

    @Schema(name = "BatchEvent")
    public record Event(@Schema(required = true, examples = "stocks:acme") String channel, String type,
            @Schema(required = true, implementation = Object.class) JsonNode data,
            @Schema(name = "idempotency_key", description = "a retry of the batch with the same key within the "
                    + "idempotency window gets this event's first answer instead of writing it again")
            String idempotencyKey) {
    }
}
