package io.eventfeeds.gateway.security;

import io.eventfeeds.apikey.ApiKeyClaims;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.gateway.protocol.HandshakeProblems;
import io.eventfeeds.gateway.protocol.Handshakes;
import io.eventfeeds.security.throttle.CallerRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Caps the connections one caller holds open on this instance ({@code feeds.gateway.max-connections-per-caller},
 * or the token's {@link ApiKeyClaims#MAX_CONNECTIONS} claim, set by {@code ./platform api-key create
 * --max-connections N}), so that one user cannot take the file descriptors and memory
 * everyone shares. A handshake beyond the cap is refused with 429 before the upgrade; two handshakes racing past
 * that check are settled when they open, the later one closed with {@link CloseCodes#TOO_MANY_CONNECTIONS}.
 *
 * <p>The count is per instance: behind a load balancer with N instances a caller may hold up to N times the cap.
 */
@ApplicationScoped
public class ConnectionsPerCaller {

    /** A connection of the caller may close any moment; a few seconds keeps retries from spinning. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final UserData.TypedKey<String> CALLER = new UserData.TypedKey<>("eventfeeds.counted-caller");

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final int defaultCap;
    private final Counter refused;
    private final IdentityProviderManager identities;

    public ConnectionsPerCaller(GatewayConfig config, MeterRegistry registry, IdentityProviderManager identities) {
        this.identities = identities;
        this.defaultCap = config.maxConnectionsPerCaller();
        this.refused = Counter.builder("feeds.gateway.connections.refused.per.caller")
                .description("Handshakes and connections refused because their caller held its cap of connections")
                .register(registry);
    }

    void install(@Observes Filters filters) {
        filters.register(this::handle, Handshakes.AFTER_AUTHENTICATION);
    }

    private void handle(RoutingContext context) {
        if (!Handshakes.isHandshake(context.request())) {
            context.next();
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(context, identities).subscribe().with(identity -> {
            if (identity != null && !identity.isAnonymous() && isAtCap(identity)) {
                refused.increment();
                Handshakes.refuse(context, HandshakeProblems.TOO_MANY_CONNECTIONS,
                        "this caller already holds its cap of open connections; close one first or ask for a "
                                + "higher cap", RETRY_AFTER);
            } else {
                context.next(); // an anonymous handshake is answered 401 by the endpoint's own security
            }
        }, failure -> context.next()); // the same for credentials that fail: authentication answers, not this cap
    }

    private boolean isAtCap(SecurityIdentity identity) {
        return open.getOrDefault(CallerRateLimiter.callerOf(identity), 0) >= capOf(identity);
    }

    /** From {@code @OnOpen}: counts the connection, or says false when its caller already holds its cap. */
    public boolean opened(WebSocketConnection connection, SecurityIdentity identity) {
        String caller = CallerRateLimiter.callerOf(identity);
        int cap = capOf(identity);
        boolean[] admitted = {false};
        open.compute(caller, (key, count) -> {
            int current = count == null ? 0 : count;
            admitted[0] = current < cap;
            return admitted[0] ? current + 1 : count;
        });
        if (admitted[0]) {
            connection.userData().put(CALLER, caller);
        } else {
            refused.increment();
        }
        return admitted[0];
    }

    /** From {@code @OnClose}; a connection that was never counted changes nothing. */
    public void closed(WebSocketConnection connection) {
        String caller = connection.userData().remove(CALLER);
        if (caller != null) {
            open.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    private int capOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(ApiKeyClaims.MAX_CONNECTIONS);
            if (claim != null) {
                try {
                    int cap = Integer.parseInt(claim.toString().trim());
                    if (cap > 0) {
                        return cap;
                    }
                } catch (NumberFormatException ignored) {
                    // A malformed claim falls back to the configured default rather than refusing the caller.
                }
            }
        }
        return defaultCap;
    }
}
