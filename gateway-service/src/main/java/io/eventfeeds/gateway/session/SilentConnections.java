package io.eventfeeds.gateway.session;

import io.eventfeeds.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Closes connections whose client has gone quiet: no frame and no pong to the server's pings within
 * {@code feeds.gateway.idle-timeout}. A client whose network vanished without a FIN leaves a half-open connection
 * that TCP may keep for many minutes; until it is closed it holds subscriptions and fills its queue.
 */
@ApplicationScoped
public class SilentConnections {

    private final ClientSessions sessions;
    private final Vertx vertx;
    private final Duration idleTimeout;
    private long timer = -1;

    public SilentConnections(ClientSessions sessions, Vertx vertx, GatewayConfig config) {
        this.sessions = sessions;
        this.vertx = vertx;
        this.idleTimeout = config.idleTimeout();
    }

    void start(@Observes StartupEvent started) {
        long every = Math.max(100, idleTimeout.toMillis() / 4);
        timer = vertx.setPeriodic(every, id -> closeSilent());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void closeSilent() {
        long limit = idleTimeout.toNanos();
        for (ClientSession session : sessions.all()) {
            if (session.silentForNanos() > limit && !session.isDropped() && !session.isClosed()) {
                session.dropAsSilent();
            }
        }
    }
}
