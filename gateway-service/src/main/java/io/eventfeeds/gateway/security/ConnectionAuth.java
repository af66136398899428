package io.eventfeeds.gateway.security;

import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.quarkus.arc.ClientProxy;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.WebSocketSecurity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The identity each open connection currently acts as, and when its token expires.
 *
 * <p>A connection lives as long as its access token. When the token expires without an in-band refresh, the
 * connection is closed with {@link CloseCodes#TOKEN_EXPIRED}, and {@link #expired} is true from that moment on, so
 * no event is delivered on a connection whose token has expired, even while the close is under way.
 *
 * <p>Quarkus itself closes an authenticated WebSocket with 1008 when its identity expires, and re-arms that close
 * only through {@link WebSocketSecurity#updateSecurityIdentity}. Refreshes therefore go through it (it validates the
 * token with quarkus-oidc and requires the same {@code sub}), and this class closes {@link #EXPIRY_LEAD} before
 * {@code exp}, so that clients get the gateway's documented 4401 rather than Quarkus's 1008.
 */
@ApplicationScoped
public class ConnectionAuth {

    /**
     * How long before the token's {@code exp} the gateway counts it as expired. {@code exp} has whole seconds,
     * and Quarkus's own close fires at {@code exp}: a second ahead keeps ours first, even on a busy event loop
     * (timers due together run in deadline order).
     */
    public static final Duration EXPIRY_LEAD = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(ConnectionAuth.class);
    private static final UserData.TypedKey<Session> SESSION = new UserData.TypedKey<>("eventfeeds.connection-auth");

    private final Vertx vertx;
    private final WebSocketSecurity webSocketSecurity;
    private final TenantIdentityProvider tokens;
    private final CurrentIdentityAssociation association;
    private final ApiKeyRevocationCheck apiKeys;

    public ConnectionAuth(Vertx vertx, WebSocketSecurity webSocketSecurity, TenantIdentityProvider tokens,
            CurrentIdentityAssociation association, ApiKeyRevocationCheck apiKeys) {
        this.apiKeys = apiKeys;
        this.vertx = vertx;
        this.webSocketSecurity = webSocketSecurity;
        this.tokens = tokens;
        this.association = association;
    }

    /** From {@code @OnOpen}, with the handshake identity. */
    public void opened(WebSocketConnection connection, SecurityIdentity identity) {
        // An injected SecurityIdentity is a proxy that answers for whatever callback is current (and for none outside
        // one): keep the connection's own identity, which the association holds during its @OnOpen.
        SecurityIdentity own = ClientProxy.unwrap(identity) instanceof QuarkusSecurityIdentity concrete
                ? concrete : association.getIdentity();
        Session session = new Session(own);
        connection.userData().put(SESSION, session);
        schedule(connection, session);
        apiKeys.opened(connection, own);
    }

    /** The identity the connection acts as now, for permission checks. */
    public SecurityIdentity identity(WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        return session == null ? null : session.identity;
    }

    /**
     * The instant (epoch millis) from which the connection counts as expired: no event may reach it from then on.
     * {@link Long#MAX_VALUE} for a connection without expiry, {@link Long#MIN_VALUE} for one never opened.
     */
    public long validUntilMillis(WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        if (session == null) {
            return Long.MIN_VALUE;
        }
        return session.deadline.equals(Instant.MAX) ? Long.MAX_VALUE : session.deadline.toEpochMilli();
    }

    /** True once the connection's token has expired (or it was never opened): deliver nothing to it. */
    public boolean expired(WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        return session == null || !Instant.now().isBefore(session.deadline);
    }

    /**
     * {@code {"op":"auth","token":...}}: replaces the connection's identity with the token's (roles re-read) and
     * moves its expiry. Completes with the new token's expiry, or fails with {@link AuthRefusedException}; a refused
     * refresh leaves the connection as it was, until its current token expires. Call it from one of the
     * connection's own callbacks: Quarkus finds the connection to update from the callback's context.
     */
    public Uni<Instant> refresh(WebSocketConnection connection, String token) {
        Session session = connection.userData().get(SESSION);
        if (session == null || expired(connection)) {
            return Uni.createFrom().failure(new AuthRefusedException(ErrorCode.UNAUTHORIZED,
                    "the connection's token has already expired; reconnect with a new one"));
        }
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(new AuthRefusedException(ErrorCode.UNAUTHORIZED,
                    "field 'token' must be an access token"));
        }
        CompletionStage<SecurityIdentity> update;
        try {
            update = webSocketSecurity.updateSecurityIdentity(token.trim());
        } catch (RuntimeException e) {
            update = Uni.createFrom().<SecurityIdentity>failure(e).subscribeAsCompletionStage();
        }
        return Uni.createFrom().completionStage(update)
                .onFailure().recoverWithUni(failure -> refusal(session, token.trim(), failure))
                .map(identity -> {
                    session.identity = identity;
                    schedule(connection, session);
                    return session.expiresAt;
                });
    }

    /** From {@code @OnClose}. */
    public void closed(WebSocketConnection connection) {
        Session session = connection.userData().remove(SESSION);
        if (session != null) {
            session.cancelTimer(vertx);
        }
        apiKeys.closed(connection);
    }

    /** Tells an invalid token (unauthorized) from a valid one of another subject (forbidden). */
    private Uni<SecurityIdentity> refusal(Session session, String token, Throwable updateFailure) {
        LOG.debugf("in-band token refused: %s", updateFailure.getMessage());
        return tokens.authenticate(new AccessTokenCredential(token))
                .onItemOrFailure().transformToUni((identity, invalid) -> {
                    if (invalid == null && identity != null
                            && !Objects.equals(subject(identity), subject(session.identity))) {
                        return Uni.createFrom().failure(new AuthRefusedException(ErrorCode.FORBIDDEN,
                                "the token belongs to another subject than this connection"));
                    }
                    return Uni.createFrom().failure(new AuthRefusedException(ErrorCode.UNAUTHORIZED,
                            "the token is not a valid access token for this service"));
                });
    }

    private void schedule(WebSocketConnection connection, Session session) {
        Instant expiresAt = expiryOf(session.identity);
        Instant deadline = expiresAt.equals(Instant.MAX) ? Instant.MAX : expiresAt.minus(EXPIRY_LEAD);
        session.cancelTimer(vertx);
        session.expiresAt = expiresAt;
        session.deadline = deadline;
        if (deadline.equals(Instant.MAX)) {
            return;
        }
        long delay = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        session.setTimer(vertx, delay, () -> {
            LOG.debugf("closing connection %s: its token expired at %s", connection.id(), expiresAt);
            connection.close(CloseCodes.TOKEN_EXPIRED).subscribe().with(
                    closed -> { }, failure -> LOG.debugf("closing %s failed: %s", connection.id(), failure));
        });
    }

    private static Instant expiryOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            return Instant.ofEpochSecond(jwt.getExpirationTime());
        }
        return Instant.MAX;
    }

    private static String subject(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return identity.getPrincipal().getName();
    }

    /** Per-connection state, kept in the connection's own user data so that it goes away with the connection. */
    private static final class Session {
        volatile SecurityIdentity identity;
        volatile Instant expiresAt = Instant.MAX;
        volatile Instant deadline = Instant.MAX;
        private long timer = -1;

        Session(SecurityIdentity identity) {
            this.identity = identity;
        }

        synchronized void setTimer(Vertx vertx, long delayMillis, Runnable action) {
            cancelTimer(vertx);
            timer = vertx.setTimer(delayMillis, id -> action.run());
        }

        synchronized void cancelTimer(Vertx vertx) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
