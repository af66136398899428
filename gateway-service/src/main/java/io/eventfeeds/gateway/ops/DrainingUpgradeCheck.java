package io.eventfeeds.gateway.ops;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses new WebSocket handshakes with 503 once the instance is shutting down. Upgrading them only to close them
 * with 1001 at once would make clients that are still routed here spin through connect-and-close cycles; a 503
 * before the upgrade sends them straight to their backoff and, through the load balancer, to another instance.
 */
@ApplicationScoped
public class DrainingUpgradeCheck implements HttpUpgradeCheck {

    private final GracefulShutdown shutdown;

    public DrainingUpgradeCheck(GracefulShutdown shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return shutdown.isShuttingDown() ? CheckResult.rejectUpgrade(503) : CheckResult.permitUpgrade();
    }
}
