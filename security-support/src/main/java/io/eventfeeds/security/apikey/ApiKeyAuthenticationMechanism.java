package io.eventfeeds.security.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Authenticates {@code X-API-Key} on HTTP requests and WebSocket handshakes. The key is exchanged with Keycloak for
 * an access token, which quarkus-oidc then validates exactly like a bearer token (signature, issuer, audience,
 * expiry), so an API-key caller has the roles of its Keycloak client's service account and nothing else.
 *
 * <p>Results are cached for {@code feeds.api-keys.cache-ttl} (and never past the token's expiry): that bounds both
 * the load on Keycloak and how long a revoked key keeps working.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** Identity attribute naming the API-key client, for throttling and audit. */
    public static final String API_KEY_ATTRIBUTE = "eventfeeds.api-key";

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationMechanism.class);

    private final ApiKeyConfig config;
    private final ApiKeyExchange exchange;
    private final TenantIdentityProvider tokens;
    private final Cache<String, Trusted> trusted;

    public ApiKeyAuthenticationMechanism(ApiKeyConfig config, ApiKeyExchange exchange, TenantIdentityProvider tokens) {
        this.config = config;
        this.exchange = exchange;
        this.tokens = tokens;
        this.trusted = Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterWrite(config.cacheTtl()).build();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = config.enabled() ? context.request().getHeader(config.header()) : null;
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        Optional<ApiKey> parsed = ApiKey.parse(header.trim());
        if (parsed.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("malformed API key"));
        }
        ApiKey key = parsed.get();
        String digest = key.digest();
        Trusted known = trusted.getIfPresent(digest);
        if (known != null && Instant.now().isBefore(known.until())) {
            return Uni.createFrom().item(known.identity());
        }
        return exchange.accessToken(key)
                .chain(token -> tokens.authenticate(new AccessTokenCredential(token)))
                .map(identity -> {
                    SecurityIdentity withKey = QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(API_KEY_ATTRIBUTE, key.clientId()).build();
                    trusted.put(digest, new Trusted(withKey, expiryOf(identity)));
                    return withKey;
                })
                .onFailure(failure -> !(failure instanceof AuthenticationFailedException)).transform(failure -> {
                    LOG.warnf("API key %s could not be checked: %s", key.clientId(), failure.getMessage());
                    return new AuthenticationFailedException("API key could not be checked", failure);
                });
    }

    private static Instant expiryOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            return Instant.ofEpochSecond(jwt.getExpirationTime());
        }
        return Instant.MAX;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "ApiKey realm=\"feeds\""));
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, config.header()));
    }

    /** Lower than the bearer mechanism, so that a request without credentials is challenged for a bearer token. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY - 100;
    }

    private record Trusted(SecurityIdentity identity, Instant until) {
    }
}
