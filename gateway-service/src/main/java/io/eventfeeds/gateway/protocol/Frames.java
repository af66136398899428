package io.eventfeeds.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.events.Position;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Writes every frame the server sends, so their shape lives in one place (docs/protocol.md). */
@ApplicationScoped
public class Frames {

    private final ObjectMapper json;

    public Frames(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The event frame for one record of the event topic, or empty when the value is not an event envelope (a JSON
     * object). The record key is the channel, whatever the envelope says. The envelope's own {@code type} (the
     * publisher's event type) becomes {@code event_type}, because {@code type} names the frame.
     */
    public Optional<EventFrame> event(String channel, String envelope, Position position) {
        JsonNode event;
        try {
            event = json.readTree(envelope);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!(event instanceof ObjectNode node)) {
            return Optional.empty();
        }
        ObjectNode frame = json.createObjectNode().put("type", "event").put("channel", channel);
        copy(node, "id", frame, "id");
        copy(node, "type", frame, "event_type");
        frame.put("position", position.toString());
        copy(node, "ts", frame, "ts");
        copy(node, "publisher", frame, "publisher");
        frame.set("data", node.get("data"));
        JsonNode id = node.get("id");
        try {
            return Optional.of(new EventFrame(id != null && id.isTextual() ? id.asText() : null,
                    json.writeValueAsBytes(frame)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event's frame, ready to send, and the event's own id (null when it has none). */
    public record EventFrame(String id, byte[] bytes) {
    }

    public String subscribed(String channel, Position position) {
        ObjectNode frame = json.createObjectNode().put("type", "subscribed").put("channel", channel);
        frame.put("position", position == null ? null : position.toString());
        return write(frame);
    }

    public String unsubscribed(String channel) {
        return write(json.createObjectNode().put("type", "unsubscribed").put("channel", channel));
    }

    public String ack(String ref, Position position) {
        return write(json.createObjectNode().put("type", "ack").put("ref", ref).put("position", position.toString()));
    }

    public String auth(Instant expiresAt) {
        return write(json.createObjectNode().put("type", "auth").put("expires_at", expiresAt.getEpochSecond()));
    }

    public String pong() {
        return write(json.createObjectNode().put("type", "pong"));
    }

    public String error(ErrorCode code, String message, String ref) {
        return error(code, message, ref, null);
    }

    public String error(ErrorCode code, String message, String ref, String channel) {
        return error(code.wire(), message, ref, channel);
    }

    /** An error after which the client should wait {@code retryAfter} before trying again, as HTTP's Retry-After. */
    public String error(ErrorCode code, String message, String ref, String channel, Duration retryAfter) {
        ObjectNode frame = errorFrame(code.wire(), message, ref, channel);
        frame.put("retry_after", Math.max(1, retryAfter.toSeconds()));
        return write(frame);
    }

    private String error(String code, String message, String ref, String channel) {
        return write(errorFrame(code, message, ref, channel));
    }

    private ObjectNode errorFrame(String code, String message, String ref, String channel) {
        ObjectNode frame = json.createObjectNode().put("type", "error").put("code", code).put("message", message);
        if (ref != null) {
            frame.put("ref", ref);
        }
        if (channel != null) {
            frame.put("channel", channel);
        }
        return frame;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    private String write(ObjectNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
