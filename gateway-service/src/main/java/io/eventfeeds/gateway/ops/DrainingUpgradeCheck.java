package io.eventfeeds.gateway.ops;

import io.eventfeeds.gateway.protocol.HandshakeProblems;
import io.eventfeeds.gateway.protocol.Handshakes;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Refuses new WebSocket handshakes with 503 once the instance is shutting down. Upgrading them only to close them
 * with 1001 at once would make clients that are still routed here spin through connect-and-close cycles; a 503
 * before the upgrade sends them straight to their backoff and, through the load balancer, to another instance.
 */
@ApplicationScoped
public class DrainingUpgradeCheck {

    /** Another instance takes the client at once; a second lets the load balancer see this one's readiness DOWN. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final GracefulShutdown shutdown;

    public DrainingUpgradeCheck(GracefulShutdown shutdown) {
        this.shutdown = shutdown;
    }

    void install(@Observes Filters filters) {
        filters.register(this::handle, Handshakes.BEFORE_AUTHENTICATION);
    }

    private void handle(RoutingContext context) {
        if (shutdown.isShuttingDown() && Handshakes.isHandshake(context.request())) {
            Handshakes.refuse(context, HandshakeProblems.DRAINING,
                    "this instance is shutting down; reconnect (to another instance) and resume by position",
                    RETRY_AFTER);
            return;
        }
        context.next();
    }
}
