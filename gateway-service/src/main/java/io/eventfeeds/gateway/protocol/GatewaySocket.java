package io.eventfeeds.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.gateway.fanout.Subscriptions;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.Map;

/** The one WebSocket endpoint: JSON text frames, one message per frame (docs/protocol.md). */
@Authenticated
@WebSocket(path = "/ws")
public class GatewaySocket {

    private final Subscriptions subscriptions;
    private final ObjectMapper json;

    public GatewaySocket(Subscriptions subscriptions, ObjectMapper json) {
        this.subscriptions = subscriptions;
        this.json = json;
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
            case "unsubscribe":
                subscriptions.remove(channel, connection);
                return Map.of("type", "unsubscribed", "channel", String.valueOf(channel));
            default:
                return Map.of("type", "error", "code", "bad_request", "message", "unknown op '" + op + "'");
        }
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        subscriptions.removeAll(connection);
    }
}
