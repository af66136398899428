package io.eventfeeds.security.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem body ({@code application/problem+json}), the one shape of every refusal the services give.
 * {@code field} names the offending part of the request: {@code body}, a body field such as {@code data} or
 * {@code events[3].channel}, a path or query parameter such as {@code channel} or {@code since}, or a header such as
 * {@code Idempotency-Key}; it is left out when no part of the request is at fault.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemType type, String detail, String field) {
        return new Problem(type.uri(), type.title(), type.status(), detail, field);
    }

    public static Problem of(ProblemType type, String detail) {
        return of(type, detail, null);
    }
}
