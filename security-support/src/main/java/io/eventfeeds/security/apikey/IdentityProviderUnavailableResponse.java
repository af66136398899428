package io.eventfeeds.security.apikey;

import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemResponse;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Answers 503 with Retry-After and an RFC 9457 problem when an API key could not be checked because Keycloak is
 * unreachable or too many exchanges are already pending. Authentication runs in a Vert.x route before any REST resource or WebSocket upgrade, so its failures
 * reach the router's failure handlers, not JAX-RS exception mappers; this one covers feed-service's REST API and the
 * gateway's handshake alike.
 */
@ApplicationScoped
public class IdentityProviderUnavailableResponse {

    private final Duration retryAfter;

    public IdentityProviderUnavailableResponse(ApiKeyConfig config) {
        this.retryAfter = config.unavailableRetryAfter();
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
        ProblemResponse.send(context.response(), Problem.of(SecurityProblemType.IDENTITY_PROVIDER_UNAVAILABLE,
                "the API key could not be checked: " + why + "; retry after "
                        + ProblemResponse.retryAfterSeconds(retryAfter) + " s"), retryAfter);
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
