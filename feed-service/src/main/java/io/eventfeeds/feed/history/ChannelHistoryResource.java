package io.eventfeeds.feed.history;

import io.eventfeeds.events.Position;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.channels.ChannelPolicy;
import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.throttle.CallerRateLimiter;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Catching up: a channel's events from the Kafka log, for example for a web client after a reconnect.
 *
 * <p>A read costs the caller's rate one unit per event returned, like publishing: the request paid one at the
 * ThrottleFilter, and the read is charged for the rest once it knows how many it returns. Its page holds at most
 * as many events as the caller's bucket had units left, so a caller with little rate left gets a shorter page
 * with {@code more: true} rather than a refusal: it always makes progress and loses nothing, and its next request
 * waits for its rate as usual. Nothing is taken up front, so a read that finds nothing (a slow read of a sparse
 * channel) does not starve the caller's other requests meanwhile.
 */
@Path("/api/v1/channels/{channel}/events")
@Tag(name = "events")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
public class ChannelHistoryResource {

    private final ChannelHistory history;
    private final ChannelPolicy policy;
    private final HistoryConfig config;
    private final CallerReads reads;
    private final CallerRateLimiter limiter;
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;

    public ChannelHistoryResource(ChannelHistory history, ChannelPolicy policy, HistoryConfig config,
            CallerReads reads, CallerRateLimiter limiter, SecurityIdentity identity, CurrentVertxRequest request) {
        this.history = history;
        this.policy = policy;
        this.config = config;
        this.reads = reads;
        this.limiter = limiter;
        this.identity = identity;
        this.request = request;
    }

    @GET
    @Authenticated
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Read a channel's events",
            description = "The events after `since` (oldest first), or the latest `limit` events without `since`. "
                    + "Pass `next` as `since` to read on. `truncated: true` means `since` was older than the oldest "
                    + "event Kafka keeps; `more: true` that more events may follow right away. A page holds at most "
                    + "`feeds.history.max-page-bytes` of events (at least one event), and at most as many events "
                    + "as the caller's rate has left: each event returned counts against it.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = HistoryPage.class)))
    @APIResponse(responseCode = "400", description = "invalid channel, unknown namespace, malformed since or limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "missing or invalid credentials")
    @APIResponse(responseCode = "403", description = "no permission to read this channel",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "over the caller's rate, or the caller already has "
            + "`feeds.history.max-concurrent-per-caller` reads in flight; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka could not be read in time; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HistoryPage read(
            @Parameter(example = "scores:game-1") @PathParam("channel") String channel,
            @Parameter(description = "a position from feed-service or the gateway; events after it are returned")
            @QueryParam("since") String since,
            @Parameter(description = "at most this many events (default 100, at most 1000)")
            @QueryParam("limit") String limit) {
        ChannelPolicy.Lookup lookup = policy.lookup(channel);
        if (!lookup.found()) {
            throw new ProblemException(lookup.problem() == ChannelPolicy.Problem.UNKNOWN_NAMESPACE
                    ? FeedProblemType.UNKNOWN_NAMESPACE : FeedProblemType.INVALID_CHANNEL, lookup.reason(), "channel");
        }
        Optional<Position> position = Optional.empty();
        if (since != null) {
            position = Position.parse(since);
            if (position.isEmpty()) {
                throw new ProblemException(FeedProblemType.INVALID_POSITION,
                        "since must be a position as returned by the API, like 0-42", "since");
            }
        }
        int max = parseLimit(limit);
        if (!policy.mayRead(identity, lookup.channel())) {
            throw new ProblemException(FeedProblemType.FORBIDDEN_CHANNEL,
                    "the caller may not read namespace '" + lookup.channel().namespace() + "'", "channel");
        }
        ReadSlot slot = reads.take(identity);
        try {
            slot.watchAnswer(request.getCurrent());
            // The request's own unit at the ThrottleFilter pays for the first event.
            int affordable = (int) Math.min(max, 1L + limiter.available(identity));
            HistoryPage page = history.read(lookup.channel(), position, affordable);
            limiter.charge(identity, page.events().size() - 1);
            return page;
        } finally {
            slot.readOver();
        }
    }

    private int parseLimit(String limit) {
        if (limit == null) {
            return config.defaultLimit();
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= config.maxLimit()) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(FeedProblemType.INVALID_FIELD,
                "limit must be a whole number from 1 to " + config.maxLimit(), "limit");
    }
}
