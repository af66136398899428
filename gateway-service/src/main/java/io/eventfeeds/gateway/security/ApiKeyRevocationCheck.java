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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Ends open API-key connections soon after their key is revoked. Without it, a revoked key's connection would live
 * on until the access token Keycloak issued for the key expires (the realm's lifespan, minutes), while every other
 * use of a revoked key is refused within {@code feeds.api-keys.cache-ttl}. So, every
 * {@code feeds.gateway.security.api-key-recheck} the key is exchanged with Keycloak again, through the exchange's
 * own re-check lane (a flood of new keys cannot starve it): a key Keycloak refuses closes its connections with
 * {@link CloseCodes#TOKEN_EXPIRED}. A re-check that fails otherwise (Keycloak unreachable, too busy) keeps the
 * connections open, since the token they hold may still be valid, but only for
 * {@code feeds.api-keys.max-failed-rechecks} failures in a row: then they are closed with the same code, so that an
 * outage, or an attacker who keeps Keycloak busy, cannot keep a revoked key's connections open indefinitely.
 *
 * <p>The re-check is per key, not per connection: a service holding thousands of connections on one key costs
 * Keycloak one exchange per interval. Per connection, 10,000 connections on one key made 10,000 exchanges a
 * minute, and a re-check lane overrun by them (16 pending) would have counted failures against connections whose
 * key was fine, and closed them.
 */
@ApplicationScoped
public class ApiKeyRevocationCheck {

    private static final Logger LOG = Logger.getLogger(ApiKeyRevocationCheck.class);
    private static final UserData.TypedKey<ApiKey> KEY = new UserData.TypedKey<>("eventfeeds.api-key");

    private final Vertx vertx;
    private final ApiKeyExchange exchange;
    private final ApiKeyConfig keys;
    private final GatewaySecurityConfig config;
    /** The keys of open API-key connections; a key's entry lives while it has a connection. */
    private final ConcurrentHashMap<ApiKey, KeyWatch> watched = new ConcurrentHashMap<>();

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
            connection.userData().put(KEY, key);
            // Under the map's lock for this key: a watch being ended by a refusal is no longer in the map, so a
            // connection is either in the watch that closes it or in a new one, never lost in between.
            watched.compute(key, (k, watch) -> {
                KeyWatch current = watch != null ? watch : start(k);
                current.connections.add(connection);
                return current;
            });
        });
    }

    public void closed(WebSocketConnection connection) {
        ApiKey key = connection.userData().remove(KEY);
        if (key == null) {
            return;
        }
        watched.computeIfPresent(key, (k, watch) -> {
            watch.connections.remove(connection);
            if (watch.connections.isEmpty()) {
                vertx.cancelTimer(watch.timer);
                return null;
            }
            return watch;
        });
    }

    private KeyWatch start(ApiKey key) {
        KeyWatch watch = new KeyWatch();
        long interval = Math.max(1, config.apiKeyRecheck().toMillis());
        watch.timer = vertx.setPeriodic(interval, id -> recheck(key, watch));
        return watch;
    }

    private void recheck(ApiKey key, KeyWatch watch) {
        // A re-check still waiting for Keycloak (at most feeds.api-keys.exchange-timeout) answers for this round too.
        if (!watch.inFlight.compareAndSet(false, true)) {
            return;
        }
        exchange.recheck(key).subscribe().with(token -> {
            watch.inFlight.set(false);
            watch.failedInARow.set(0);
        }, failure -> {
            watch.inFlight.set(false);
            if (failure instanceof AuthenticationFailedException) {
                LOG.infof("closing the connections of API key %s: the key was revoked", key.clientId());
                end(key, watch, "api key revoked");
                return;
            }
            int failed = watch.failedInARow.incrementAndGet();
            if (failed >= keys.maxFailedRechecks()) {
                LOG.infof("closing the connections of API key %s: it could not be re-checked %d times in a row: %s",
                        key.clientId(), failed, failure.getMessage());
                end(key, watch, "api key could not be re-checked");
            } else {
                LOG.debugf("API key %s not re-checked (%d in a row): %s", key.clientId(), failed,
                        failure.getMessage());
            }
        });
    }

    private void end(ApiKey key, KeyWatch watch, String reason) {
        if (!watched.remove(key, watch)) {
            return;
        }
        vertx.cancelTimer(watch.timer);
        CloseReason close = new CloseReason(CloseCodes.TOKEN_EXPIRED.getCode(), reason);
        for (WebSocketConnection connection : watch.connections) {
            connection.close(close).subscribe()
                    .with(ok -> { }, error -> LOG.debugf("closing %s failed: %s", connection.id(), error));
        }
    }

    /** One key's timer, its connections, and its re-checks failed in a row (reset by one Keycloak answers). */
    private static final class KeyWatch {
        final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
        final AtomicBoolean inFlight = new AtomicBoolean();
        final AtomicInteger failedInARow = new AtomicInteger();
        volatile long timer;
    }

    private Optional<ApiKey> keyOf(WebSocketConnection connection) {
        String header = connection.handshakeRequest().header(keys.header());
        return header == null ? Optional.empty() : ApiKey.parse(header.trim());
    }
}
