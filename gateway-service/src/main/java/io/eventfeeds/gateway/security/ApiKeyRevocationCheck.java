package io.eventfeeds.gateway.security;

import io.eventfeeds.security.apikey.ApiKey;
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
import org.jboss.logging.Logger;

/**
 * Ends an open API-key connection soon after its key is revoked. Without it, a revoked key's connection would live
 * on until the access token Keycloak issued for the key expires (the realm's lifespan, minutes), while every other
 * use of a revoked key is refused within {@code feeds.api-keys.cache-ttl}. So, every
 * {@code feeds.gateway.security.api-key-recheck} the key is exchanged with Keycloak again: a key Keycloak refuses
 * closes the connection with {@link ConnectionAuth#TOKEN_EXPIRED}; a Keycloak that cannot be reached keeps it open,
 * since the token it holds is still valid (the same rule as for bearer tokens during an outage).
 */
@ApplicationScoped
public class ApiKeyRevocationCheck {

    private static final Logger LOG = Logger.getLogger(ApiKeyRevocationCheck.class);
    private static final UserData.TypedKey<Long> TIMER = new UserData.TypedKey<>("eventfeeds.api-key-recheck");

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
            long timer = vertx.setPeriodic(interval, id -> recheck(connection, key));
            connection.userData().put(TIMER, timer);
        });
    }

    public void closed(WebSocketConnection connection) {
        Long timer = connection.userData().remove(TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void recheck(WebSocketConnection connection, ApiKey key) {
        if (!connection.isOpen()) {
            closed(connection);
            return;
        }
        exchange.accessToken(key).subscribe().with(token -> { }, failure -> {
            if (failure instanceof AuthenticationFailedException) {
                LOG.infof("closing connection %s: API key %s was revoked", connection.id(), key.clientId());
                closed(connection);
                connection.close(new CloseReason(ConnectionAuth.TOKEN_EXPIRED, "api key revoked")).subscribe()
                        .with(ok -> { }, error -> LOG.debugf("closing %s failed: %s", connection.id(), error));
            } else {
                LOG.debugf("API key %s of connection %s not re-checked: %s", key.clientId(), connection.id(),
                        failure.getMessage());
            }
        });
    }

    private Optional<ApiKey> keyOf(WebSocketConnection connection) {
        String header = connection.handshakeRequest().header(keys.header());
        return header == null ? Optional.empty() : ApiKey.parse(header.trim());
    }
}
