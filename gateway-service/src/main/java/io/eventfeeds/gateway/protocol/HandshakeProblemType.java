package io.eventfeeds.gateway.protocol;

import io.eventfeeds.security.problem.ProblemType;

/**
 * The gateway's own refusals of a WebSocket handshake, each answered before the upgrade with an RFC 9457 body like
 * every other refusal of the platform (docs/events.md lists them). 401 and the identity provider's 503 come from
 * security-support and carry its types.
 */
public enum HandshakeProblemType implements ProblemType {
    FORBIDDEN_ORIGIN("forbidden-origin", "Origin not allowed", 403),
    TOO_MANY_CONNECTIONS("too-many-connections", "Too Many Requests", 429),
    DRAINING("draining", "Instance shutting down", 503);

    private final String slug;
    private final String title;
    private final int status;

    HandshakeProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int status() {
        return status;
    }
}
