package io.eventfeeds.security.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * Sends a {@link Problem}, with {@code Retry-After} when a retry time is given. Refusals come from two places: JAX-RS
 * (exception mappers, request filters) and plain Vert.x routes that run before JAX-RS (authentication, body limits),
 * so both answer through here and cannot drift apart.
 */
public final class ProblemResponse {

    private ProblemResponse() {
    }

    /** For JAX-RS; {@code retryAfter} may be null. */
    public static Response of(Problem problem, Duration retryAfter) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER.toString(), retryAfterSeconds(retryAfter));
        }
        return response.build();
    }

    /** For a Vert.x route that answers before JAX-RS is reached; {@code retryAfter} may be null. */
    public static void send(HttpServerResponse response, Problem problem, Duration retryAfter) {
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        response.end(Json.encode(problem));
    }

    /** Retry-After has whole seconds; rounding up, and at least 1, keeps a client from retrying too early. */
    public static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
