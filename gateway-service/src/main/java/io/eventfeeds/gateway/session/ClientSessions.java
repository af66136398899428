package io.eventfeeds.gateway.session;

import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.fanout.FanoutShards;
import io.eventfeeds.gateway.transport.NettyFrameChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Every open connection of this gateway instance, and the metrics about them. */
@ApplicationScoped
public class ClientSessions {

    /** How often the shared outbound budget is summed from the connections' backlogs. */
    static final Duration BUDGET_REFRESH = Duration.ofMillis(100);

    private final Map<String, Open> byId = new ConcurrentHashMap<>();
    private final ClientSession.Limits limits;
    private final OutboundBudget budget;
    private final FanoutShards shards;
    private final Vertx vertx;
    private final Counter slowClientsDropped;
    private final Counter silentClientsClosed;
    private final Counter floodingClientsClosed;
    private long budgetTimer = -1;

    public ClientSessions(GatewayConfig config, FanoutShards shards, Vertx vertx, MeterRegistry registry) {
        this.limits = new ClientSession.Limits(config.outbound().maxFrames(), config.outbound().maxBytes(),
                new FrameBudget.Limits(config.clientFrames().perSecond(), config.clientFrames().burst()));
        this.budget = new OutboundBudget(config.outbound().totalMaxBytes(), byId::size);
        this.shards = shards;
        this.vertx = vertx;
        Gauge.builder("feeds.gateway.connections", byId, Map::size)
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("feeds.gateway.outbound.queued", this, ClientSessions::backlogBytes).baseUnit("bytes")
                .description("Bytes written to all connections and not yet taken by their sockets")
                .register(registry);
        slowClientsDropped = Counter.builder("feeds.gateway.slow.clients.dropped")
                .description("Connections closed with 4008 because they did not read fast enough").register(registry);
        silentClientsClosed = Counter.builder("feeds.gateway.silent.clients.closed")
                .description("Connections closed with 4009 because nothing, not even a pong, came within the idle timeout")
                .register(registry);
        floodingClientsClosed = Counter.builder("feeds.gateway.flooding.clients.closed")
                .description("Connections closed with 1008 because their client sent far more frames than its budget")
                .register(registry);
    }

    void start(@Observes StartupEvent started) {
        budgetTimer = vertx.setPeriodic(BUDGET_REFRESH.toMillis(), id -> budget.refresh());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (budgetTimer >= 0) {
            vertx.cancelTimer(budgetTimer);
        }
    }

    /**
     * Opens a session from the connection's {@code @OnOpen}; {@code identity} gives the identity it acts as now, and
     * {@code tokenValidUntil} (epoch millis) when its token expires. A dropped client's subscriptions stop at once.
     */
    public ClientSession open(WebSocketConnection connection, Supplier<SecurityIdentity> identity,
            long tokenValidUntil) {
        ClientSession session = new ClientSession(connection.id(), NettyFrameChannel.of(connection), limits, budget,
                new ClientSession.Listener() {
                    @Override
                    public void droppedAsTooSlow(ClientSession dropped) {
                        slowClientsDropped.increment();
                        shards.detach(dropped);
                    }

                    @Override
                    public void droppedAsSilent(ClientSession dropped) {
                        silentClientsClosed.increment();
                        shards.detach(dropped);
                    }

                    @Override
                    public void droppedAsFlooding(ClientSession dropped) {
                        floodingClientsClosed.increment();
                        shards.detach(dropped);
                    }

                    @Override
                    public void close(ClientSession dropped, CloseReason reason) {
                        connection.close(reason).subscribe().with(ok -> { }, failure -> { });
                    }
                }, identity);
        session.tokenValidUntil(tokenValidUntil);
        byId.put(connection.id(), new Open(connection, session));
        shards.attach(session);
        return session;
    }

    public Optional<ClientSession> of(WebSocketConnection connection) {
        Open open = byId.get(connection.id());
        return open == null ? Optional.empty() : Optional.of(open.session);
    }

    /** From {@code @OnClose}: the session ends, with its subscriptions. */
    public Optional<ClientSession> remove(WebSocketConnection connection) {
        Open open = byId.remove(connection.id());
        if (open == null) {
            return Optional.empty();
        }
        open.session.closed();
        shards.detach(open.session);
        return Optional.of(open.session);
    }

    public Collection<ClientSession> all() {
        return byId.values().stream().map(Open::session).toList();
    }

    /** Every open connection, for closing them all at shutdown. */
    public List<WebSocketConnection> connections() {
        return byId.values().stream().map(Open::connection).toList();
    }

    private double backlogBytes() {
        long total = 0;
        for (Open open : byId.values()) {
            total += open.session.backlogBytes();
        }
        return total;
    }

    public int count() {
        return byId.size();
    }

    private record Open(WebSocketConnection connection, ClientSession session) {
    }
}
