package io.eventfeeds.feed.problem;

import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemType;
import java.time.Duration;

/** A refusal that becomes exactly one problem response; thrown or failed-with anywhere in request handling. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(ProblemType type, String detail, String field) {
        this(Problem.of(type, detail, field), null, null);
    }

    public ProblemException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem.detail(), cause, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** When set, the answer carries a {@code Retry-After} header (whole seconds). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
