package io.eventfeeds.feed.problem;

import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemResponse;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every refusal of the REST API into one {@code application/problem+json} answer. */
public class ProblemResponses {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return ProblemResponse.of(e.problem(), e.retryAfter());
    }

    /** {@code @RolesAllowed} refusals: the caller is known but lacks the role. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        Problem problem = Problem.of(FeedProblemType.FORBIDDEN, "the caller lacks the role this operation needs");
        return ProblemResponse.of(problem, null);
    }

    /** What RESTEasy itself refuses (unknown path, wrong method, wrong content type) gets a problem body too. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 415) {
            return ProblemResponse.of(Problem.of(FeedProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as application/json", "Content-Type"), null);
        }
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType != null ? statusType.getReasonPhrase() : "HTTP " + status;
        return ProblemResponse.of(new Problem("about:blank", title, status, e.getMessage(), null), null);
    }
}
