package io.eventfeeds.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.gateway.fanout.Subscriptions;
import io.eventfeeds.gateway.security.AuthRefusedException;
import io.eventfeeds.gateway.security.ConnectionAuth;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import java.time.Duration;
import java.util.Map;

/** The one WebSocket endpoint: JSON text frames, one message per frame (docs/protocol.md). */
@Authenticated
@WebSocket(path = "/ws")
public class GatewaySocket {

    private final Subscriptions subscriptions;
    private final ObjectMapper json;
    private final ConnectionAuth auth;
    private final SecurityIdentity identity;

    public GatewaySocket(Subscriptions subscriptions, ObjectMapper json, ConnectionAuth auth,
            SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.json = json;
        this.auth = auth;
        this.identity = identity;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        auth.opened(connection, identity);
    }

    @OnTextMessage
    public Map<String, Object> onFrame(String text, WebSocketConnection connection) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (Exception e) {
            return Map.of("type", "error", "code", "bad_request", "message", "frame is not JSON");
        }
        String op = frame.path("op").asText("");
        String channel = frame.path("channel").asText(null);
        switch (op) {
            case "ping":
                return Map.of("type", "pong");
            case "subscribe": {
                StringBuilder whyNot = new StringBuilder();
                if (ChannelName.parse(channel, whyNot).isEmpty()) {
                    return Map.of("type", "error", "code", "bad_request", "message", whyNot.toString());
                }
                subscriptions.add(channel, connection);
                return Map.of("type", "subscribed", "channel", channel);
            }
            case "auth":
                // This callback runs on a worker thread (it returns a plain object), where waiting is allowed.
                return auth.refresh(connection, frame.path("token").asText(null))
                        .<Map<String, Object>>map(expiresAt -> Map.of("type", "auth",
                                "expires_at", expiresAt.getEpochSecond()))
                        .onFailure(AuthRefusedException.class).recoverWithItem(refused -> Map.of("type", "error",
                                "code", ((AuthRefusedException) refused).code(), "message", refused.getMessage()))
                        .await().atMost(Duration.ofSeconds(30));
            case "unsubscribe":
                subscriptions.remove(channel, connection);
                return Map.of("type", "unsubscribed", "channel", String.valueOf(channel));
            default:
                return Map.of("type", "error", "code", "bad_request", "message", "unknown op '" + op + "'");
        }
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        auth.closed(connection);
        subscriptions.removeAll(connection);
    }
}
