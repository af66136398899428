package io.eventfeeds.feed.problem;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every refusal of the REST API into one {@code application/problem+json} answer. */
public class ProblemResponses {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return of(e.problem(), e.retryAfter());
    }

    /** {@code @RolesAllowed} refusals: the caller is known but lacks the role. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return of(Problem.of(ProblemType.FORBIDDEN, "the caller lacks the role this operation needs", null), null);
    }

    /** What RESTEasy itself refuses (unknown path, wrong method, wrong content type) gets a problem body too. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 415) {
            return of(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json",
                    "Content-Type"), null);
        }
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType != null ? statusType.getReasonPhrase() : "HTTP " + status;
        return of(new Problem("about:blank", title, status, e.getMessage(), null), null);
    }

    public static Response of(Problem problem, Duration retryAfter) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfter != null) {
            response.header("Retry-After", Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
        return response.build();
    }
}
