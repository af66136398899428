package io.eventfeeds.security.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventfeeds.apikey.ApiKey;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Turns an API key into the identity of its Keycloak client, asking Keycloak as little as possible: validated keys
 * are trusted for {@code feeds.api-keys.cache-ttl} (never past their token's expiry), keys Keycloak refused are
 * refused for {@code feeds.api-keys.refused-cache-ttl}, and concurrent first uses of one key share one exchange.
 * Every cache is keyed by the key's digest, never by the key.
 *
 * <p>Outcomes: the identity; an AuthenticationFailedException (401) when Keycloak refused the key; an
 * IdentityProviderUnavailableException (503) when Keycloak could not be asked. An outage is never remembered as a
 * refusal, so the key works again as soon as Keycloak does.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);

    private final ApiKeyExchange exchange;
    private final TenantIdentityProvider tokens;
    private final Cache<String, Trusted> trusted;
    private final Cache<String, Boolean> refused;
    private final Map<String, Uni<SecurityIdentity>> inFlight = new ConcurrentHashMap<>();

    public ApiKeyVerifier(ApiKeyConfig config, ApiKeyExchange exchange, TenantIdentityProvider tokens) {
        this.exchange = exchange;
        this.tokens = tokens;
        this.trusted = Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterWrite(config.cacheTtl()).build();
        this.refused = Caffeine.newBuilder().maximumSize(config.cacheSize())
                .expireAfterWrite(config.refusedCacheTtl()).build();
    }

    public Uni<SecurityIdentity> identityOf(ApiKey key) {
        String digest = key.digest();
        Trusted known = trusted.getIfPresent(digest);
        if (known != null && Instant.now().isBefore(known.until())) {
            return Uni.createFrom().item(known.identity());
        }
        if (refused.getIfPresent(digest) != null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("API key refused by Keycloak moments ago"));
        }
        Uni<SecurityIdentity> shared = inFlight.computeIfAbsent(digest, d -> check(key, d));
        return onCallersContext(shared);
    }

    /** One exchange and validation, memoized so that every caller waiting for the same key gets its outcome. */
    private Uni<SecurityIdentity> check(ApiKey key, String digest) {
        return exchange.accessToken(key)
                .chain(token -> tokens.authenticate(new AccessTokenCredential(token)))
                .map(identity -> {
                    SecurityIdentity withKey = QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(ApiKeyAuthenticationMechanism.API_KEY_ATTRIBUTE, key.clientId()).build();
                    trusted.put(digest, new Trusted(withKey, expiryOf(identity)));
                    return withKey;
                })
                .onFailure(AuthenticationFailedException.class).invoke(() -> refused.put(digest, Boolean.TRUE))
                .onFailure(failure -> !(failure instanceof AuthenticationFailedException)).transform(failure -> {
                    // A full queue is the flood itself: one warning per refused request would flood the log too.
                    LOG.logf(failure instanceof ExchangeQueueFullException ? Logger.Level.DEBUG : Logger.Level.WARN,
                            "API key %s could not be checked: %s", key.clientId(), failure.getMessage());
                    return failure instanceof IdentityProviderUnavailableException ? failure
                            : new IdentityProviderUnavailableException("API key could not be checked", failure);
                })
                .onTermination().invoke(() -> inFlight.remove(digest))
                .memoize().indefinitely();
    }

    /**
     * A shared exchange completes on the event loop of whoever started it; each waiting request gets the outcome
     * back on its own context, where Vert.x expects its request to be handled.
     */
    private static Uni<SecurityIdentity> onCallersContext(Uni<SecurityIdentity> shared) {
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return shared;
        }
        return shared.emitOn(task -> {
            if (Vertx.currentContext() == caller) {
                task.run();
            } else {
                caller.runOnContext(ignored -> task.run());
            }
        });
    }

    private static Instant expiryOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            return Instant.ofEpochSecond(jwt.getExpirationTime());
        }
        return Instant.MAX;
    }

    private record Trusted(SecurityIdentity identity, Instant until) {
    }
}
