package io.eventfeeds.security.problem;

/**
 * The refusals security-support's own filters give, before or around any service's resources; feed-service also
 * gives {@link #RATE_LIMITED} to the events of a batch past the caller's rate.
 */
public enum SecurityProblemType implements ProblemType {
    RATE_LIMITED("rate-limited", "Too Many Requests", 429),
    TOO_MANY_FAILED_CREDENTIALS("too-many-failed-credentials", "Too Many Requests", 429),
    IDENTITY_PROVIDER_UNAVAILABLE("identity-provider-unavailable", "Identity provider unavailable", 503);

    private final String slug;
    private final String title;
    private final int status;

    SecurityProblemType(String slug, String title, int status) {
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
