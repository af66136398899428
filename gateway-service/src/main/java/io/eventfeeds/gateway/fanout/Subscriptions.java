package io.eventfeeds.gateway.fanout;

import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which open connections listen to which channel on this gateway instance. */
@ApplicationScoped
public class Subscriptions {

    private final Map<String, Set<WebSocketConnection>> byChannel = new ConcurrentHashMap<>();

    public void add(String channel, WebSocketConnection connection) {
        byChannel.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    public void remove(String channel, WebSocketConnection connection) {
        byChannel.computeIfPresent(channel, (c, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    public void removeAll(WebSocketConnection connection) {
        byChannel.keySet().forEach(channel -> remove(channel, connection));
    }

    public Set<WebSocketConnection> of(String channel) {
        return byChannel.getOrDefault(channel, Set.of());
    }
}
