package io.eventfeeds.gateway.ops;

import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.gateway.session.ClientSessions;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * On shutdown (SIGTERM), closes every connection with 1001 so clients reconnect, through the load balancer, to
 * another instance and resume by position; waits for the closes at most the configured grace period.
 *
 * <p>It acts when the shutdown delay starts (readiness turns DOWN then), not at {@link ShutdownEvent}: Quarkus'
 * graceful HTTP shutdown runs in between and would wait its whole timeout for the open WebSockets to end.
 * {@link ShutdownEvent} only catches what remains.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final ClientSessions sessions;
    private final GatewayConfig config;

    public GracefulShutdown(ClientSessions sessions, GatewayConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    private volatile boolean shuttingDown;

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        closeAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
        closeAll();
    }

    /** True once shutdown began: connections opened now are closed at once with 1001. */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Closes every open connection with 1001 and waits for that, at most the grace period. */
    public void closeAll() {
        List<Uni<Void>> closing = sessions.connections().stream()
                .filter(connection -> !connection.isClosed())
                .map(connection -> connection.close(CloseCodes.GOING_AWAY).onFailure().recoverWithNull())
                .toList();
        if (closing.isEmpty()) {
            return;
        }
        LOG.infof("closing %d connections with 1001", closing.size());
        try {
            Uni.join().all(closing).andCollectFailures().await().atMost(config.shutdownGrace());
        } catch (RuntimeException e) {
            LOG.warnf("not every connection closed within %s: %s", config.shutdownGrace(), e.getMessage());
        }
    }
}
