package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads publish bodies. The resources take the raw bytes and parse them here, rather than letting JAX-RS bind a
 * record, so that the size limit is checked before parsing and every malformed body gets a problem naming the
 * exact field instead of a generic 400.
 */
@ApplicationScoped
public class EventBodies {

    private static final Set<String> EVENT_FIELDS = Set.of("type", "data");
    private static final Set<String> BATCH_ITEM_FIELDS = Set.of("channel", "type", "data", "idempotency_key");

    private final ObjectReader reader;
    private final PublishConfig config;

    public EventBodies(ObjectMapper json, PublishConfig config) {
        this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.config = config;
    }

    /** Parses a whole request body as one JSON value, refusing empty, oversized and malformed bodies. */
    public JsonNode parse(byte[] body, long maxBytes) {
        if (body == null || body.length == 0) {
            throw new ProblemException(FeedProblemType.MISSING_BODY, "send a JSON object as the request body",
                    "body");
        }
        if (body.length > maxBytes) {
            throw new ProblemException(FeedProblemType.TOO_LARGE,
                    "the body has " + body.length + " bytes; the limit is " + maxBytes, "body");
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ProblemException(FeedProblemType.MISSING_BODY, "send a JSON object as the request body",
                    "body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProblemException(FeedProblemType.INVALID_JSON, "the body is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), "body");
        } catch (IOException e) {
            throw new ProblemException(FeedProblemType.INVALID_JSON, "the body could not be read", "body");
        }
    }

    /** The type and data of a single-event body {@code {"type": ..., "data": ...}}. */
    public PublishRequest event(JsonNode body) {
        return event(body, "", EVENT_FIELDS);
    }

    /** One event of a batch, {@code {"channel": ..., "type": ..., "data": ...}}; {@code prefix} like {@code events[3].} */
    public BatchEvent batchEvent(JsonNode item, String prefix) {
        PublishRequest event = event(item, prefix, BATCH_ITEM_FIELDS);
        JsonNode channel = item.get("channel");
        if (channel == null || !channel.isTextual()) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD, "channel is required and must be a string",
                    prefix + "channel");
        }
        JsonNode key = item.get("idempotency_key");
        if (key != null && !key.isTextual()) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD, "idempotency_key must be a string",
                    prefix + "idempotency_key");
        }
        return new BatchEvent(channel.asText(), event.type(), event.data(), key == null ? null : key.asText());
    }

    private PublishRequest event(JsonNode node, String prefix, Set<String> allowed) {
        if (!node.isObject()) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD, "an event must be a JSON object",
                    prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ProblemException(FeedProblemType.INVALID_FIELD, "unknown field '" + name + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()), prefix + name);
            }
        }
        JsonNode type = node.get("type");
        if (type != null && !type.isNull() && !type.isTextual()) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD, "type must be a string", prefix + "type");
        }
        if (type != null && type.isTextual() && type.asText().length() > EventEnvelope.MAX_TYPE_LENGTH) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD,
                    "type is longer than " + EventEnvelope.MAX_TYPE_LENGTH + " characters", prefix + "type");
        }
        JsonNode data = node.get("data");
        if (data == null || data.isNull()) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD, "data is required (any JSON value but null)",
                    prefix + "data");
        }
        // The limit is in bytes, as for a single event's body: measure the UTF-8 encoding, not the characters.
        long dataSize = data.toString().getBytes(StandardCharsets.UTF_8).length;
        if (!prefix.isEmpty() && dataSize > config.maxEventSize().asLongValue()) {
            throw new ProblemException(FeedProblemType.TOO_LARGE, "data has " + dataSize
                    + " bytes; the limit is " + config.maxEventSize().asLongValue() + " bytes", prefix + "data");
        }
        return new PublishRequest(type == null || type.isNull() ? null : type.asText(), data);
    }

    /** One event of a batch, parsed; {@code idempotencyKey} is null when the event has none. */
    public record BatchEvent(String channel, String type, JsonNode data, String idempotencyKey) {
    }
}
