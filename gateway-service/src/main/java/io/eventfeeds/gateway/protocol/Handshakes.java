package io.eventfeeds.gateway.protocol;

import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemResponse;
import io.eventfeeds.security.problem.ProblemType;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The WebSocket handshake as the gateway's checks see it: which requests are one, and how one is refused.
 *
 * <p>The checks run as Quarkus route filters rather than WebSockets Next's {@code HttpUpgradeCheck}: a check's
 * {@code CheckResult} carries only a status and headers and ends the response itself, so a client would get a bare
 * 403, 429 or 503 and could not tell why. A filter answers with the same problem body as every other refusal.
 */
public final class Handshakes {

    /** The gateway's one WebSocket endpoint. */
    public static final String PATH = "/ws";

    /**
     * Checks that need no identity run after CORS (a browser reads the answer) and before authentication, so a
     * refused handshake never costs a call to Keycloak.
     */
    public static final int BEFORE_AUTHENTICATION = (SecurityHandlerPriorities.CORS
            + SecurityHandlerPriorities.AUTHENTICATION) / 2 + 10;
    /** Checks on the caller run once authentication set the identity, before authorization. */
    public static final int AFTER_AUTHENTICATION = (SecurityHandlerPriorities.FORM_AUTHENTICATION
            + SecurityHandlerPriorities.AUTHORIZATION) / 2;

    private Handshakes() {
    }

    /** True for an upgrade request to the endpoint; every other request goes its way untouched. */
    public static boolean isHandshake(HttpServerRequest request) {
        return PATH.equals(request.path()) && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    /** Answers the handshake with {@code type}'s status and a problem body; {@code retryAfter} may be null. */
    public static void refuse(RoutingContext context, ProblemType type, String detail, Duration retryAfter) {
        ProblemResponse.send(context.response(), Problem.of(type, detail), retryAfter);
    }
}
