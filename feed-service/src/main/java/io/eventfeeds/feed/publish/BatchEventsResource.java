package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.channels.ChannelPolicy;
import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.eventfeeds.security.throttle.CallerRateLimiter;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Publishing many events, for any channels, in one request. Each event is checked and written on its own; the
 * answer lists each one's result in request order. Events are handed to Kafka in request order, so events of one
 * channel keep their order.
 *
 * <p>A batch is charged one unit of the caller's rate per event, not one per request: otherwise a key limited to N
 * events per second could publish 500 times N. The events the caller's bucket cannot pay for right now are refused
 * with 429 in their results; they are the batch's tail, so what is written keeps the request order.
 */
@Path("/api/v1/events")
@Tag(name = "events")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
public class BatchEventsResource {

    private final EventPublisher publisher;
    private final EventBodies bodies;
    private final IdempotentPublishes idempotent;
    private final PublishConfig config;
    private final CallerRateLimiter limiter;
    private final SecurityIdentity identity;

    public BatchEventsResource(EventPublisher publisher, EventBodies bodies, IdempotentPublishes idempotent,
            PublishConfig config, CallerRateLimiter limiter, SecurityIdentity identity) {
        this.publisher = publisher;
        this.bodies = bodies;
        this.idempotent = idempotent;
        this.config = config;
        this.limiter = limiter;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("publisher")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Publish a batch of events",
            description = "Answers 200 with one result per event, in order: status 202 with the accepted event, or "
                    + "the status and problem that refused it (400, 403, 413, 422, 429, 503). Refused events are not written. "
                    + "Each event counts against the caller's rate; the events over it are refused with 429. "
                    + "An event with an idempotency_key that this caller already used within the idempotency window "
                    + "gets its first answer and is not written again, so a retried batch writes only what failed.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BatchRequest.class)))
    @APIResponse(responseCode = "200", description = "every event's result, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "400", description = "the body is not a batch (invalid JSON, no events, too many)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "body over the HTTP body limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> publishBatch(byte[] body) {
        JsonNode root = bodies.parse(body, Long.MAX_VALUE);
        JsonNode events = root.isObject() ? root.get("events") : null;
        if (events == null || !events.isArray() || events.isEmpty() || events.size() > config.maxBatchEvents()) {
            throw new ProblemException(FeedProblemType.INVALID_FIELD,
                    "send {\"events\": [...]} with 1 to " + config.maxBatchEvents() + " events", "events");
        }
        // The request already paid one unit at the ThrottleFilter: that is the first event's.
        CallerRateLimiter.Grant grant = limiter.acquireUpTo(identity, events.size() - 1);
        int paid = 1 + grant.granted();
        List<Uni<BatchResult.Item>> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            results.add(i < paid ? publishOne(i, events.get(i)) : Uni.createFrom().item(overRate(i, grant.retryAfter())));
        }
        return Uni.join().all(results).andFailFast().map(items -> {
            BatchResult result = BatchResult.of(items);
            Response.ResponseBuilder response = Response.ok(result).type(MediaType.APPLICATION_JSON);
            long retryAfter = 0;
            if (items.stream().anyMatch(item -> item.status() == 503)) {
                retryAfter = Math.max(1, config.retryAfter().toSeconds());
            }
            if (paid < events.size()) {
                retryAfter = Math.max(retryAfter, Math.max(1, grant.retryAfter().toSeconds()));
            }
            if (retryAfter > 0) {
                response.header("Retry-After", retryAfter);
            }
            return response.build();
        });
    }

    private static BatchResult.Item overRate(int index, Duration retryAfter) {
        return BatchResult.Item.refused(index, Problem.of(SecurityProblemType.RATE_LIMITED,
                "over this caller's rate, which counts a batch's events; not written, retry after "
                        + Math.max(1, retryAfter.toSeconds()) + " s", null));
    }

    private Uni<BatchResult.Item> publishOne(int index, JsonNode item) {
        String prefix = "events[" + index + "].";
        EventBodies.BatchEvent event;
        try {
            event = bodies.batchEvent(item, prefix);
        } catch (ProblemException e) {
            return Uni.createFrom().item(BatchResult.Item.refused(index, e.problem()));
        }
        Supplier<Uni<AcceptedEvent>> publish =
                () -> publisher.publish(event.channel(), prefix + "channel", event.type(), event.data(), identity,
                        event.idempotencyKey());
        Uni<AcceptedEvent> written = event.idempotencyKey() == null ? publish.get()
                : idempotent.once(ChannelPolicy.subjectOf(identity), event.idempotencyKey(), prefix + "idempotency_key",
                        IdempotentPublishes.fingerprint(event.channel(), asked(event)), publish);
        return written
                .map(accepted -> BatchResult.Item.accepted(index, accepted))
                .onFailure(ProblemException.class)
                .recoverWithItem(failure -> BatchResult.Item.refused(index, ((ProblemException) failure).problem()));
    }

    /** What the event asks for, whatever the order of its fields: what a retry with the same key must repeat. */
    private static byte[] asked(EventBodies.BatchEvent event) {
        return (event.type() + "\u0000" + event.data()).getBytes(StandardCharsets.UTF_8);
    }
}
