package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.databind.JsonNode;

/** The body of a publish: an optional type and any JSON value as data. */
public record PublishRequest(String type, JsonNode data) {
}
