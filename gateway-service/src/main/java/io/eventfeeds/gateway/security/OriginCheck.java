package io.eventfeeds.gateway.security;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Refuses a WebSocket handshake from a page of another origin with 403, before the upgrade. Without this, any web
 * site could open the gateway's WebSocket from a visitor's browser (cross-site WebSocket hijacking).
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(OriginCheck.class);

    private final Set<String> allowed;

    public OriginCheck(GatewaySecurityConfig config) {
        this.allowed = config.allowedOrigins().stream().map(OriginCheck::normalized).collect(Collectors.toSet());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed.contains(normalized(origin))) {
            return CheckResult.permitUpgrade();
        }
        LOG.debugf("refused a WebSocket handshake from origin %s", origin);
        return CheckResult.rejectUpgrade(403);
    }

    /** Scheme and host are case-insensitive (RFC 6454); a trailing slash is a common configuration slip. */
    private static String normalized(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
