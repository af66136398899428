package io.eventfeeds.security.throttle;

import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemResponse;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers 429 with Retry-After, as an RFC 9457 problem, to a REST caller over its rate. It runs after
 * authentication (the caller must be known to be counted) and before the resource, so a throttled request does no
 * work and writes nothing.
 */
public class ThrottleFilter {

    private final CallerRateLimiter limiter;
    private final CurrentIdentityAssociation identity;

    public ThrottleFilter(CallerRateLimiter limiter, CurrentIdentityAssociation identity) {
        this.limiter = limiter;
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Response> throttle() {
        return identity.getDeferredIdentity().map(caller -> {
            CallerRateLimiter.Decision decision = limiter.tryAcquire(caller);
            if (decision.allowed()) {
                return null;
            }
            long seconds = ProblemResponse.retryAfterSeconds(decision.retryAfter());
            return ProblemResponse.of(Problem.of(SecurityProblemType.RATE_LIMITED,
                    "over this caller's rate; retry after " + seconds + " s"), decision.retryAfter());
        });
    }
}
