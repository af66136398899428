package io.eventfeeds.gateway.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity each open connection currently acts as, and when its token expires.
 *
 * <p>Placeholder owned by the gateway-security branch, which replaces this body (keeping the signatures): here the
 * handshake identity is kept for the connection's life and never expires, and in-band refresh is refused.
 */
@ApplicationScoped
public class ConnectionAuth {

    private final Map<String, SecurityIdentity> identities = new ConcurrentHashMap<>();

    /** Call from @OnOpen with the handshake's SecurityIdentity. */
    public void opened(WebSocketConnection connection, SecurityIdentity identity) {
        identities.put(connection.id(), identity);
    }

    /** The identity to check permissions against (may change after an in-band refresh). */
    public SecurityIdentity identity(WebSocketConnection connection) {
        return identities.get(connection.id());
    }

    /** True once the connection's token expired: deliver nothing to it any more. */
    public boolean expired(WebSocketConnection connection) {
        return false;
    }

    /**
     * For {"op":"auth"}: validates the new token; completes with its expiry, or fails with AuthRefusedException
     * (code + message for the error frame).
     */
    public Uni<Instant> refresh(WebSocketConnection connection, String token) {
        return Uni.createFrom().failure(new AuthRefusedException("unsupported", "in-band token refresh is not available"));
    }

    /** Call from @OnClose. */
    public void closed(WebSocketConnection connection) {
        identities.remove(connection.id());
    }
}
