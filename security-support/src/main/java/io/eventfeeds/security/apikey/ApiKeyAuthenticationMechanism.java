package io.eventfeeds.security.apikey;

import io.eventfeeds.apikey.ApiKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Authenticates {@code X-API-Key} on HTTP requests and WebSocket handshakes. The key is exchanged with Keycloak for
 * an access token, which quarkus-oidc then validates exactly like a bearer token (signature, issuer, audience,
 * expiry), so an API-key caller has the roles of its Keycloak client's service account and nothing else.
 *
 * <p>A key Keycloak refuses is a 401; a key that could not be checked because Keycloak is unreachable is a 503
 * ({@link IdentityProviderUnavailableResponse}), so a caller with a good key is not told to replace it. Caching
 * and merging of exchanges are {@link ApiKeyVerifier}'s.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** Identity attribute naming the API-key client, for throttling and audit. */
    public static final String API_KEY_ATTRIBUTE = "eventfeeds.api-key";

    private final ApiKeyConfig config;
    private final ApiKeyVerifier verifier;

    public ApiKeyAuthenticationMechanism(ApiKeyConfig config, ApiKeyVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
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
        return verifier.identityOf(parsed.get());
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
}
