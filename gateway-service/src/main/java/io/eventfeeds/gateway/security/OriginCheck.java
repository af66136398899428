package io.eventfeeds.gateway.security;

import io.eventfeeds.gateway.protocol.HandshakeProblems;
import io.eventfeeds.gateway.protocol.Handshakes;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Refuses a WebSocket handshake from a page of another origin with 403, before the upgrade and before its
 * credentials are checked. Without this, any web site could open the gateway's WebSocket from a visitor's browser
 * (cross-site WebSocket hijacking).
 */
@ApplicationScoped
public class OriginCheck {

    private static final Logger LOG = Logger.getLogger(OriginCheck.class);

    private final Set<String> allowed;

    public OriginCheck(GatewaySecurityConfig config) {
        this.allowed = config.allowedOrigins().stream().map(OriginCheck::normalized).collect(Collectors.toSet());
    }

    void install(@Observes Filters filters) {
        filters.register(this::handle, Handshakes.BEFORE_AUTHENTICATION);
    }

    private void handle(RoutingContext context) {
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed.contains(normalized(origin)) || !Handshakes.isHandshake(context.request())) {
            context.next();
            return;
        }
        LOG.debugf("refused a WebSocket handshake from origin %s", origin);
        Handshakes.refuse(context, HandshakeProblems.FORBIDDEN_ORIGIN,
                "pages of this origin may not open the WebSocket (feeds.gateway.security.allowed-origins)", null);
    }

    /** Scheme and host are case-insensitive (RFC 6454); a trailing slash is a common configuration slip. */
    private static String normalized(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
