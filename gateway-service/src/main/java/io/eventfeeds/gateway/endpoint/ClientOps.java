package io.eventfeeds.gateway.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.eventlog.EventOutcomeUnknownException;
import io.eventfeeds.eventlog.NewEvents;
import io.eventfeeds.eventlog.Publisher;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.EventIds;
import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.fanout.ChannelRouter;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.publish.ClientPublishes;
import io.eventfeeds.gateway.publish.IdempotencyKeyReusedException;
import io.eventfeeds.gateway.security.AuthRefusedException;
import io.eventfeeds.gateway.security.ConnectionAuth;
import io.eventfeeds.gateway.session.ClientSession;
import io.eventfeeds.security.channels.ChannelPolicy;
import io.eventfeeds.security.throttle.CallerRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Answers each client frame (docs/protocol.md). Every problem is an error frame answering the frame that caused
 * it, with the frame's {@code ref} when it had one; the connection stays open.
 */
@ApplicationScoped
@Startup // its publish-ack counter is on /q/metrics from the start, not from the first connection on
public class ClientOps {

    private final ObjectMapper json;
    private final Frames frames;
    private final ChannelPolicy policy;
    private final ChannelRouter router;
    private final ConnectionAuth auth;
    private final CallerRateLimiter rateLimiter;
    private final ClientPublishes publishes;
    private final Duration retryAfter;
    private final Counter publishAcks;

    public ClientOps(ObjectMapper json, Frames frames, ChannelPolicy policy, ChannelRouter router, ConnectionAuth auth,
            CallerRateLimiter rateLimiter, ClientPublishes publishes, GatewayConfig config, MeterRegistry registry) {
        this.json = json;
        this.frames = frames;
        this.policy = policy;
        this.router = router;
        this.auth = auth;
        this.rateLimiter = rateLimiter;
        this.publishes = publishes;
        this.retryAfter = config.publish().retryAfter();
        this.publishAcks = Counter.builder("feeds.gateway.publish.acks")
                .description("Client publishes acknowledged by Kafka").register(registry);
    }

    /**
     * Frames larger than the protocol's limit never get here: the transport closes their connection with 1009
     * ({@code quarkus.websockets-next.server.max-message-size}) before buffering more than that.
     */
    public void handle(ClientSession session, WebSocketConnection connection, String text) {
        if (session.tokenExpired(System.currentTimeMillis())) {
            // Its 4401 close is on its way, but frames the client sent before reading it (or a client that ignores
            // it) still arrive: none of them may act with an expired token.
            session.send(frames.error(ErrorCode.UNAUTHORIZED, "the connection's token has expired; reconnect with a "
                    + "new one", null));
            return;
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(text);
        } catch (JsonProcessingException e) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "frame is not valid JSON", null));
            return;
        }
        if (!(parsed instanceof ObjectNode frame)) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "frame must be a JSON object", null));
            return;
        }
        String ref = frame.path("ref").isTextual() ? frame.get("ref").asText() : null;
        JsonNode op = frame.get("op");
        if (op == null || !op.isTextual()) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "op is missing (subscribe, unsubscribe, publish, auth, "
                    + "ping)", ref));
            return;
        }
        switch (op.asText()) {
            case "ping" -> session.send(frames.pong());
            case "subscribe" -> subscribe(session, frame, ref);
            case "unsubscribe" -> unsubscribe(session, frame, ref);
            case "publish" -> publish(session, frame, ref);
            case "auth" -> refreshToken(session, connection, frame, ref);
            default -> session.send(frames.error(ErrorCode.UNKNOWN_OP, "unknown op '" + op.asText()
                    + "' (subscribe, unsubscribe, publish, auth, ping)", ref));
        }
    }

    private void subscribe(ClientSession session, ObjectNode frame, String ref) {
        ChannelPolicy.Lookup channel = lookup(session, frame, ref);
        if (channel == null) {
            return;
        }
        String name = channel.channel().toString();
        if (!policy.mayRead(session.identity(), channel.channel())) {
            session.send(frames.error(ErrorCode.FORBIDDEN, "not allowed to read " + name, ref, name));
            return;
        }
        Position since = null;
        JsonNode sinceField = frame.get("since");
        if (sinceField != null && !sinceField.isNull()) {
            since = sinceField.isTextual() ? Position.parse(sinceField.asText()).orElse(null) : null;
            if (since == null) {
                session.send(frames.error(ErrorCode.BAD_REQUEST, "since must be a position such as \"0-42\"", ref,
                        name));
                return;
            }
        }
        if (since != null) {
            // A replay reads Kafka on a shared thread: it costs the caller one request of its rate, like a publish.
            var decision = rateLimiter.tryAcquire(session.identity());
            if (!decision.allowed()) {
                session.send(frames.error(ErrorCode.RATE_LIMITED, "resumes count against the request rate; retry after "
                        + decision.retryAfter().toSeconds() + " s", ref, name));
                return;
            }
        }
        router.subscribe(session, name, since, ref).ifPresent(refusal ->
                session.send(frames.error(refusal.code(), refusal.message(), ref, name)));
    }

    private void unsubscribe(ClientSession session, ObjectNode frame, String ref) {
        ChannelPolicy.Lookup channel = lookup(session, frame, ref);
        if (channel != null) {
            String name = channel.channel().toString();
            router.unsubscribe(session, name);
            session.send(frames.unsubscribed(name));
        }
    }

    private void publish(ClientSession session, ObjectNode frame, String ref) {
        ChannelPolicy.Lookup channel = lookup(session, frame, ref);
        if (channel == null) {
            return;
        }
        String name = channel.channel().toString();
        SecurityIdentity identity = session.identity();
        if (!policy.mayWrite(identity, channel.channel())) {
            session.send(frames.error(ErrorCode.FORBIDDEN, "not allowed to publish to " + name, ref, name));
            return;
        }
        if (!frame.has("data")) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "data is missing", ref, name));
            return;
        }
        JsonNode type = frame.get("event_type");
        if (type != null && !type.isNull() && !type.isTextual()) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "event_type must be a string", ref, name));
            return;
        }
        if (type != null && type.isTextual() && type.asText().length() > EventEnvelope.MAX_TYPE_LENGTH) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "event_type is longer than "
                    + EventEnvelope.MAX_TYPE_LENGTH + " characters", ref, name));
            return;
        }
        JsonNode key = frame.get("idempotency_key");
        if (key != null && !key.isNull() && (!key.isTextual() || key.asText().isBlank()
                || key.asText().length() > EventIds.MAX_KEY_LENGTH)) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "idempotency_key must be a string of 1 to "
                    + EventIds.MAX_KEY_LENGTH + " characters", ref, name));
            return;
        }
        var decision = rateLimiter.tryAcquire(identity);
        if (!decision.allowed()) {
            session.send(frames.error(ErrorCode.RATE_LIMITED, "publish rate exceeded; retry after "
                    + decision.retryAfter().toSeconds() + " s", ref, name));
            return;
        }
        // With a key, every copy of the event (this client's retries, or its REST publishes with the same key) has
        // one id, which subscribers get once; a retry within the window gets the first answer instead of a second
        // write. The ref is not used for this: clients number refs per connection.
        String caller = ChannelPolicy.subjectOf(identity);
        String idempotencyKey = key == null || key.isNull() ? null : key.asText();
        EventEnvelope event = NewEvents.envelope(new Publisher(caller, identity.getPrincipal().getName()),
                channel.channel(), type == null || type.isNull() ? null : type.asText(), frame.get("data"),
                idempotencyKey);
        publishes.publish(event, caller, idempotencyKey).subscribe().with(
                position -> {
                    publishAcks.increment();
                    session.send(frames.ack(ref, position));
                },
                failure -> session.send(publishRefused(failure, ref, name)));
    }

    /** The truth about a publish that got no position, as feed-service's 503s tell it over HTTP. */
    private String publishRefused(Throwable failure, String ref, String channel) {
        if (failure instanceof EventOutcomeUnknownException) {
            return frames.error(ErrorCode.EVENT_OUTCOME_UNKNOWN, "Kafka took the event but did not confirm it: it may "
                    + "be in the log. Retry with the same idempotency_key to get its outcome; a keyed event keeps its "
                    + "id, and subscribers get it once", ref, channel, retryAfter);
        }
        if (failure instanceof IdempotencyKeyReusedException reused) {
            return frames.error(ErrorCode.IDEMPOTENCY_KEY_REUSED, reused.getMessage(), ref, channel);
        }
        // ClientPublishes fails with one of three exceptions: this is event-log's EventNotWrittenException.
        return frames.error(ErrorCode.EVENT_LOG_UNAVAILABLE, failure.getMessage(), ref, channel, retryAfter);
    }

    private void refreshToken(ClientSession session, WebSocketConnection connection, ObjectNode frame, String ref) {
        JsonNode token = frame.get("token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            session.send(frames.error(ErrorCode.BAD_REQUEST, "token is missing", ref));
            return;
        }
        auth.refresh(connection, token.asText()).subscribe().with(
                expiresAt -> {
                    session.tokenValidUntil(auth.validUntilMillis(connection));
                    endSubscriptionsNoLongerAllowed(session);
                    session.send(frames.auth(expiresAt));
                },
                failure -> {
                    if (failure instanceof AuthRefusedException refused) {
                        session.send(frames.error(refused.code(), refused.getMessage(), ref));
                    } else {
                        session.send(frames.error(ErrorCode.UNAUTHORIZED, "token refused", ref));
                    }
                });
    }

    /**
     * After a refresh the connection acts with the new token's roles: a channel that a role removed in Keycloak no
     * longer lets it read stops at once (with a {@code forbidden} error naming it), before the {@code auth} answer,
     * so that nothing of it arrives after that answer.
     */
    private void endSubscriptionsNoLongerAllowed(ClientSession session) {
        SecurityIdentity identity = session.identity();
        for (String channel : List.copyOf(session.subscriptions().keySet())) {
            ChannelPolicy.Lookup lookup = policy.lookup(channel);
            if (!lookup.found() || !policy.mayRead(identity, lookup.channel())) {
                router.unsubscribe(session, channel);
                session.send(frames.error(ErrorCode.FORBIDDEN, "no longer allowed to read " + channel
                        + " with the new token's roles; the subscription has ended", null, channel));
            }
        }
    }

    /** The frame's channel if it is one that exists, else answers the error and returns null. */
    private ChannelPolicy.Lookup lookup(ClientSession session, ObjectNode frame, String ref) {
        JsonNode field = frame.get("channel");
        ChannelPolicy.Lookup lookup = policy.lookup(field != null && field.isTextual() ? field.asText() : null);
        if (lookup.found()) {
            return lookup;
        }
        ErrorCode code = lookup.problem() == ChannelPolicy.Problem.UNKNOWN_NAMESPACE ? ErrorCode.UNKNOWN_CHANNEL
                : ErrorCode.BAD_REQUEST;
        session.send(frames.error(code, "channel: " + lookup.reason(), ref));
        return null;
    }
}
