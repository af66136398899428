package io.eventfeeds.gateway.session;

import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.ops.GatewayMetrics;
import io.eventfeeds.gateway.security.ConnectionAuth;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Every open connection of this gateway instance. */
@ApplicationScoped
public class ClientSessions {

    private final Map<String, ClientSession> byId = new ConcurrentHashMap<>();
    private final ClientSession.Limits limits;
    private final OutboundBudget budget;
    private final ConnectionAuth auth;
    private final GatewayMetrics metrics;

    public ClientSessions(GatewayConfig config, ConnectionAuth auth, GatewayMetrics metrics) {
        this.limits = new ClientSession.Limits(config.outbound().maxFrames(), config.outbound().maxBytes());
        this.budget = new OutboundBudget(config.outbound().totalMaxBytes(), byId::size);
        this.auth = auth;
        this.metrics = metrics;
    }

    /**
     * Opens a session; {@code onDrop} runs once if the client is dropped (too slow or silent), before its close
     * completes, so its subscriptions stop queueing at once.
     */
    public ClientSession open(WebSocketConnection connection, Consumer<ClientSession> onDrop) {
        ClientSession session = new ClientSession(connection, limits, budget, new ClientSession.Listener() {
            @Override
            public void delivered() {
                metrics.frameDelivered();
            }

            @Override
            public void droppedAsTooSlow(ClientSession dropped) {
                metrics.slowClientDropped();
                onDrop.accept(dropped);
            }

            @Override
            public void droppedAsSilent(ClientSession dropped) {
                metrics.silentClientClosed();
                onDrop.accept(dropped);
            }
        }, () -> auth.expired(connection));
        byId.put(connection.id(), session);
        return session;
    }

    public Optional<ClientSession> of(WebSocketConnection connection) {
        return Optional.ofNullable(byId.get(connection.id()));
    }

    public Optional<ClientSession> remove(WebSocketConnection connection) {
        return Optional.ofNullable(byId.remove(connection.id()));
    }

    public Collection<ClientSession> all() {
        return byId.values();
    }

    /** Characters handed to all sockets and not yet written. */
    public long outboundQueued() {
        return budget.queued();
    }

    public int count() {
        return byId.size();
    }
}
