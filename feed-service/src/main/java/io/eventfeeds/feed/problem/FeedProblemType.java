package io.eventfeeds.feed.problem;

import io.eventfeeds.security.problem.ProblemType;

/**
 * The refusals only feed-service gives, with their HTTP status; each is documented in docs/events.md. Those that
 * security-support's filters give too (e.g. {@code rate-limited}) are its
 * {@link io.eventfeeds.security.problem.SecurityProblemType}.
 */
public enum FeedProblemType implements ProblemType {
    INVALID_JSON("invalid-json", "Request body is not valid JSON", 400),
    MISSING_BODY("missing-body", "Request body is missing", 400),
    INVALID_FIELD("invalid-field", "Invalid request field", 400),
    INVALID_CHANNEL("invalid-channel", "Invalid channel name", 400),
    UNKNOWN_NAMESPACE("unknown-namespace", "Unknown channel namespace", 400),
    INVALID_POSITION("invalid-position", "Invalid position", 400),
    FORBIDDEN_CHANNEL("forbidden-channel", "Not allowed on this channel", 403),
    FORBIDDEN("forbidden", "Forbidden", 403),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key reused for another request", 422),
    TOO_LARGE("too-large", "Request body too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    TOO_MANY_READS("too-many-reads", "Too many history reads in flight", 429),
    EVENT_LOG_UNAVAILABLE("event-log-unavailable", "Event log unavailable", 503),
    EVENT_OUTCOME_UNKNOWN("event-outcome-unknown", "Event outcome unknown", 503);

    private final String slug;
    private final String title;
    private final int status;

    FeedProblemType(String slug, String title, int status) {
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
