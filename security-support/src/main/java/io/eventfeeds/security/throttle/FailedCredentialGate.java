package io.eventfeeds.security.throttle;

import io.eventfeeds.security.apikey.ApiKeyConfig;
import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemResponse;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;

/**
 * Enforces {@link FailedCredentialLimiter} on every HTTP request and WebSocket handshake: a request with credentials
 * ({@code Authorization} or the API-key header) from an address over its failures is answered 429 with Retry-After
 * before authentication runs, so before any call to Keycloak; any request with credentials answered 401 counts as a
 * failure of its address. Counting the 401 itself covers every way credentials fail (unknown or malformed API key,
 * invalid bearer token) without touching each authentication mechanism.
 *
 * <p>The address is the one Vert.x reports, which honours {@code quarkus.http.proxy.*}: behind a trusted proxy, the
 * forwarded client; otherwise the peer.
 */
@ApplicationScoped
public class FailedCredentialGate {

    /** After CORS, so that a browser can read the 429; before authentication, so that Keycloak is never asked. */
    static final int PRIORITY = (SecurityHandlerPriorities.CORS + SecurityHandlerPriorities.AUTHENTICATION) / 2;

    private final FailedCredentialLimiter limiter;
    private final String apiKeyHeader;

    public FailedCredentialGate(FailedCredentialLimiter limiter, ApiKeyConfig config) {
        this.limiter = limiter;
        this.apiKeyHeader = config.header();
    }

    void install(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        SocketAddress address = request.remoteAddress();
        if (address == null || !carriesCredentials(request)) {
            context.next();
            return;
        }
        String client = address.hostAddress();
        Optional<Duration> refusal = limiter.refusal(client);
        if (refusal.isPresent()) {
            refuse(context, refusal.get());
            return;
        }
        context.addHeadersEndHandler(ignored -> {
            if (context.response().getStatusCode() == 401) {
                limiter.failed(client);
            }
        });
        context.next();
    }

    private boolean carriesCredentials(HttpServerRequest request) {
        return request.headers().contains(HttpHeaders.AUTHORIZATION) || request.headers().contains(apiKeyHeader);
    }

    private static void refuse(RoutingContext context, Duration retryAfter) {
        ProblemResponse.send(context.response(), Problem.of(SecurityProblemType.TOO_MANY_FAILED_CREDENTIALS,
                "too many failed authentication attempts from this address; retry after "
                        + ProblemResponse.retryAfterSeconds(retryAfter) + " s"), retryAfter);
    }
}
