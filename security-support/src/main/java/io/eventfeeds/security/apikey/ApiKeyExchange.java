package io.eventfeeds.security.apikey;

import io.eventfeeds.apikey.ApiKey;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Trades an API key for a Keycloak access token with the client-credentials grant, without blocking: this runs on
 * the event loop during authentication.
 *
 * <p>Two lanes, each with its own HTTP client and its own bound on exchanges in flight or waiting: one for
 * authentication, one for the gateway's re-checks of open connections. A full lane fails at once with
 * {@link ExchangeQueueFullException} (503) rather than queueing without bound, and a flood of new keys fills only
 * the authentication lane, so re-checks still reach Keycloak.
 */
@ApplicationScoped
public class ApiKeyExchange {

    private final String tokenEndpoint;
    private final ApiKeyConfig config;
    private final Lane authentication;
    private final Lane rechecks;

    public ApiKeyExchange(Vertx vertx, ApiKeyConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        this.config = config;
        this.tokenEndpoint = config.tokenEndpoint().orElse(authServerUrl + "/protocol/openid-connect/token");
        this.authentication = new Lane("authentication", WebClient.create(vertx), config.maxPendingExchanges());
        this.rechecks = new Lane("re-check", WebClient.create(vertx), config.maxPendingRechecks());
    }

    /**
     * The access token; an AuthenticationFailedException when Keycloak refuses the key (unknown, revoked, wrong
     * secret: 400 or 401); an IdentityProviderUnavailableException when Keycloak could not answer (connection
     * refused, timeout, any other status) or too many exchanges are pending, so that a good key is never told it is
     * bad because Keycloak is down or busy.
     */
    public Uni<String> accessToken(ApiKey key) {
        return authentication.exchange(key);
    }

    /** The same, through the re-check lane: for keys already in use (open connections' keys, trusted keys). */
    public Uni<String> recheck(ApiKey key) {
        return rechecks.exchange(key);
    }

    private Uni<String> send(WebClient client, ApiKey key) {
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
        authentication.client.close();
        rechecks.client.close();
    }

    /** An HTTP client and a count of its exchanges not finished yet, kept at most {@code max} without a lock. */
    private final class Lane {
        private final String name;
        private final WebClient client;
        private final int max;
        private final AtomicInteger pending = new AtomicInteger();

        Lane(String name, WebClient client, int max) {
            this.name = name;
            this.client = client;
            this.max = max;
        }

        Uni<String> exchange(ApiKey key) {
            return Uni.createFrom().deferred(() -> {
                if (pending.incrementAndGet() > max) {
                    pending.decrementAndGet();
                    return Uni.createFrom().failure(new ExchangeQueueFullException(
                            max + " API-key exchanges (" + name + ") are already pending"));
                }
                return send(client, key).onTermination().invoke(pending::decrementAndGet);
            });
        }
    }
}
