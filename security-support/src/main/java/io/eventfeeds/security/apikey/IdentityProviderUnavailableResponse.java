package io.eventfeeds.security.apikey;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers 503 with Retry-After and an RFC 9457 problem when an API key could not be checked because Keycloak is
 * unreachable or too many exchanges are already pending. Authentication runs in a Vert.x route before any REST resource or WebSocket upgrade, so its failures
 * reach the router's failure handlers, not JAX-RS exception mappers; this one covers feed-service's REST API and the
 * gateway's handshake alike.
 */
@ApplicationScoped
public class IdentityProviderUnavailableResponse {

    public static final String PROBLEM_TYPE = "https://eventfeeds.io/problems/identity-provider-unavailable";

    private final long retryAfterSeconds;

    public IdentityProviderUnavailableResponse(ApiKeyConfig config) {
        this.retryAfterSeconds = Math.max(1, config.unavailableRetryAfter().toSeconds());
    }

    void install(@Observes Router router) {
        router.route().failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        IdentityProviderUnavailableException outage = outageIn(context.failure());
        if (outage == null || context.response().headWritten()) {
            context.next();
            return;
        }
        String why = outage instanceof ExchangeQueueFullException
                ? "too many API keys are waiting to be checked with the identity provider (Keycloak)"
                : "the identity provider (Keycloak) is unreachable";
        JsonObject problem = new JsonObject()
                .put("type", PROBLEM_TYPE)
                .put("title", "Identity provider unavailable")
                .put("status", 503)
                .put("detail", "the API key could not be checked: " + why + "; retry after " + retryAfterSeconds + " s");
        context.response().setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .end(problem.encode());
    }

    static IdentityProviderUnavailableException outageIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IdentityProviderUnavailableException outage) {
                return outage;
            }
        }
        return null;
    }
}
