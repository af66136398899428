package io.eventfeeds.security.apikey;

import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Trades an API key for a Keycloak access token with the client-credentials grant, without blocking: this runs on
 * the event loop during authentication.
 */
@ApplicationScoped
public class ApiKeyExchange {

    private final WebClient client;
    private final String tokenEndpoint;
    private final ApiKeyConfig config;

    public ApiKeyExchange(Vertx vertx, ApiKeyConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        this.client = WebClient.create(vertx);
        this.config = config;
        this.tokenEndpoint = config.tokenEndpoint().orElse(authServerUrl + "/protocol/openid-connect/token");
    }

    /**
     * The access token; an AuthenticationFailedException when Keycloak refuses the key (unknown, revoked, wrong
     * secret: 400 or 401); an IdentityProviderUnavailableException when Keycloak could not answer (connection
     * refused, timeout, any other status), so that a good key is never told it is bad because Keycloak is down.
     */
    public Uni<String> accessToken(ApiKey key) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", key.clientId())
                .add("client_secret", key.secret());
        return client.postAbs(tokenEndpoint).timeout(config.exchangeTimeout().toMillis()).sendForm(form)
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return new JsonObject(response.bodyAsString()).getString("access_token");
                    }
                    if (response.statusCode() == 400 || response.statusCode() == 401) {
                        throw new AuthenticationFailedException("API key " + key.clientId() + " refused by Keycloak");
                    }
                    throw new IdentityProviderUnavailableException(
                            "Keycloak answered " + response.statusCode() + " to an API-key exchange", null);
                })
                .onFailure(failure -> !(failure instanceof AuthenticationFailedException)
                        && !(failure instanceof IdentityProviderUnavailableException))
                .transform(failure -> new IdentityProviderUnavailableException(
                        "Keycloak unreachable for an API-key exchange: " + failure, failure));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
