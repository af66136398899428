package io.eventfeeds.gateway.security;

import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.security.apikey.ApiKeyAuthenticationMechanism;
import io.eventfeeds.security.apikey.ApiKeyConfig;
import io.eventfeeds.security.apikey.ApiKeyExchange;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Ends an open API-key connection soon after its key is revoked. Without it, a revoked key's connection would live
 * on until the access token Keycloak issued for the key expires (the realm's lifespan, minutes), while every other
 * use of a revoked key is refused within {@code feeds.api-keys.cache-ttl}. So, every
 * {@code feeds.gateway.security.api-key-recheck} the key is exchanged with Keycloak again, through the exchange's
 * own re-check lane (a flood of new keys cannot starve it): a key Keycloak refuses closes the connection with
 * {@link CloseCodes#TOKEN_EXPIRED}. A re-check that fails otherwise (Keycloak unreachable, too busy) keeps the
 * connection open, since the token it holds may still be valid, but only for
 * {@code feeds.api-keys.max-failed-rechecks} failures in a row: then it is closed with the same code, so that an
 * outage, or an attacker who keeps Keycloak busy, cannot keep a revoked key's connection open indefinitely.
 */
@ApplicationScoped
public class ApiKeyRevocationCheck {

    private static final Logger LOG = Logger.getLogger(ApiKeyRevocationCheck.class);
    private static final UserData.TypedKey<Watch> WATCH = new UserData.TypedKey<>("eventfeeds.api-key-recheck");

    private final Vertx vertx;
    private final ApiKeyExchange exchange;
    private final ApiKeyConfig keys;
    private final GatewaySecurityConfig config;

    public ApiKeyRevocationCheck(Vertx vertx, ApiKeyExchange exchange, ApiKeyConfig keys, GatewaySecurityConfig config) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.keys = keys;
        this.config = config;
    }

    /** From the connection's open: watches its key if the connection was opened with one. */
    public void opened(WebSocketConnection connection, SecurityIdentity identity) {
        if (identity.getAttribute(ApiKeyAuthenticationMechanism.API_KEY_ATTRIBUTE) == null) {
            return;
        }
        keyOf(connection).ifPresent(key -> {
            long interval = Math.max(1, config.apiKeyRecheck().toMillis());
            Watch watch = new Watch();
            watch.timer = vertx.setPeriodic(interval, id -> recheck(connection, key, watch));
            connection.userData().put(WATCH, watch);
        });
    }

    public void closed(WebSocketConnection connection) {
        Watch watch = connection.userData().remove(WATCH);
        if (watch != null) {
            vertx.cancelTimer(watch.timer);
        }
    }

    private void recheck(WebSocketConnection connection, ApiKey key, Watch watch) {
        if (!connection.isOpen()) {
            closed(connection);
            return;
        }
        exchange.recheck(key).subscribe().with(token -> watch.failedInARow.set(0), failure -> {
            if (failure instanceof AuthenticationFailedException) {
                LOG.infof("closing connection %s: API key %s was revoked", connection.id(), key.clientId());
                close(connection, "api key revoked");
                return;
            }
            int failed = watch.failedInARow.incrementAndGet();
            if (failed >= keys.maxFailedRechecks()) {
                LOG.infof("closing connection %s: API key %s could not be re-checked %d times in a row: %s",
                        connection.id(), key.clientId(), failed, failure.getMessage());
                close(connection, "api key could not be re-checked");
            } else {
                LOG.debugf("API key %s of connection %s not re-checked (%d in a row): %s", key.clientId(),
                        connection.id(), failed, failure.getMessage());
            }
        });
    }

    private void close(WebSocketConnection connection, String reason) {
        closed(connection);
        connection.close(new CloseReason(CloseCodes.TOKEN_EXPIRED.getCode(), reason)).subscribe()
                .with(ok -> { }, error -> LOG.debugf("closing %s failed: %s", connection.id(), error));
    }

    /** A watched connection's timer and its re-checks failed in a row (reset by a re-check Keycloak answers). */
    private static final class Watch {
        volatile long timer;
        final AtomicInteger failedInARow = new AtomicInteger();
    }

    private Optional<ApiKey> keyOf(WebSocketConnection connection) {
        String header = connection.handshakeRequest().header(keys.header());
        return header == null ? Optional.empty() : ApiKey.parse(header.trim());
    }
}
