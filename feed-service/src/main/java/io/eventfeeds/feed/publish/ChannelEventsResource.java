package io.eventfeeds.feed.publish;

import io.eventfeeds.security.channels.ChannelPolicy;
import io.eventfeeds.security.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Publishing into one channel: the answer comes only after Kafka acknowledged the event. */
@Path("/api/v1/channels/{channel}/events")
@Tag(name = "events")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, apiKeyName = "X-API-Key",
        in = org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn.HEADER)
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
public class ChannelEventsResource {

    private final EventPublisher publisher;
    private final EventBodies bodies;
    private final IdempotentPublishes idempotent;
    private final PublishConfig config;
    private final SecurityIdentity identity;

    public ChannelEventsResource(EventPublisher publisher, EventBodies bodies, IdempotentPublishes idempotent,
            PublishConfig config, SecurityIdentity identity) {
        this.publisher = publisher;
        this.bodies = bodies;
        this.idempotent = idempotent;
        this.config = config;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("publisher")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Publish one event",
            description = "Answers 202 only after the Kafka broker acknowledged the event (acks=all).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PublishRequest.class)))
    @APIResponse(responseCode = "202", description = "Kafka acknowledged the event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AcceptedEvent.class)))
    @APIResponse(responseCode = "400", description = "invalid JSON, missing body, invalid channel, unknown namespace",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "missing or invalid credentials")
    @APIResponse(responseCode = "403", description = "no permission to publish to this channel",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "body over feeds.publish.max-event-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Idempotency-Key already used for a different request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "over the caller's rate; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "event-log-unavailable: not written (Kafka away); "
            + "event-outcome-unknown: Kafka took it but did not confirm it, retry with the same Idempotency-Key; "
            + "see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> publish(
            @Parameter(description = "namespace:name", example = "scores:game-1") @PathParam("channel") String channel,
            @Parameter(description = "a retry with the same key within the idempotency window gets the first answer")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        var request = bodies.event(bodies.parse(body, config.maxEventSize().asLongValue()));
        if (idempotencyKey == null) {
            return publisher.publish(channel, "channel", request.type(), request.data(), identity).map(ChannelEventsResource::accepted);
        }
        return idempotent.once(ChannelPolicy.subjectOf(identity), idempotencyKey, IdempotentPublishes.fingerprint(channel, body),
                () -> publisher.publish(channel, "channel", request.type(), request.data(), identity, idempotencyKey))
                .map(ChannelEventsResource::accepted);
    }

    private static Response accepted(AcceptedEvent event) {
        return Response.accepted(event).type(MediaType.APPLICATION_JSON).build();
    }
}
