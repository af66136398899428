package io.eventfeeds.feed.publish;

import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.ProblemResponse;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body that announces (Content-Length) more than its limit before any of it is read, with a problem
 * body. Quarkus's own {@code quarkus.http.limits.max-body-size} check answers a bare 413, and would let a
 * single-event POST buffer megabytes before the per-event limit is checked. Chunked bodies without a length are
 * still checked after reading, in the resources.
 */
@ApplicationScoped
public class BodyLimitRoute {

    /** Runs before Quarkus's body-size check, which is at order -2. */
    static final int ORDER = -3;
    private static final Pattern SINGLE_EVENT = Pattern.compile("/api/v1/channels/[^/]+/events/?");

    private final long eventLimit;
    private final long httpLimit;

    public BodyLimitRoute(PublishConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize httpLimit) {
        this.eventLimit = config.maxEventSize().asLongValue();
        this.httpLimit = httpLimit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String announced = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (announced == null) {
            context.next();
            return;
        }
        long length;
        try {
            length = Long.parseLong(announced.trim());
        } catch (NumberFormatException e) {
            context.next();
            return;
        }
        boolean singleEvent = context.request().method() == HttpMethod.POST
                && SINGLE_EVENT.matcher(context.request().path()).matches();
        long limit = singleEvent ? Math.min(eventLimit, httpLimit) : httpLimit;
        if (length <= limit) {
            context.next();
            return;
        }
        Problem problem = Problem.of(FeedProblemType.TOO_LARGE,
                "the body has " + length + " bytes; the limit is " + limit, "body");
        // the unread body would otherwise have to be drained before the connection can be reused
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        ProblemResponse.send(context.response(), problem, null);
    }
}
