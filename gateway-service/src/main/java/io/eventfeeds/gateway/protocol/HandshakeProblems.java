package io.eventfeeds.gateway.protocol;

import io.eventfeeds.security.problem.ProblemType;
import java.util.List;

/**
 * The gateway's own refusals of a WebSocket handshake, each answered before the upgrade with an RFC 9457 body like
 * every other refusal of the platform (docs/events.md lists them). 401 and the identity provider's 503 come from
 * security-support and carry its types.
 */
public final class HandshakeProblems {

    public static final ProblemType FORBIDDEN_ORIGIN = ProblemType.of("forbidden-origin", "Origin not allowed", 403);
    public static final ProblemType TOO_MANY_CONNECTIONS = ProblemType.of("too-many-connections", "Too Many Requests",
            429);
    public static final ProblemType DRAINING = ProblemType.of("draining", "Instance shutting down", 503);

    public static final List<ProblemType> ALL = List.of(FORBIDDEN_ORIGIN, TOO_MANY_CONNECTIONS, DRAINING);

    private HandshakeProblems() {
    }
}
