package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a publish: an optional type and any JSON value as data. */
@Schema(name = "PublishRequest")
public record PublishRequest(
        @Schema(description = "optional event type chosen by the publisher, at most 128 characters", examples = "score")
        String type,
        @Schema(description = "any JSON value", required = true, implementation = Object.class)
        JsonNode data) {
}
