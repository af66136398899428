package io.eventfeeds.feed.publish;

import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.EventEnvelope;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Publishing into one channel: the answer comes only after Kafka acknowledged the event. */
@Path("/api/v1/channels/{channel}/events")
public class ChannelEventsResource {

    private final EventLogWriter writer;
    private final SecurityIdentity identity;

    public ChannelEventsResource(EventLogWriter writer, SecurityIdentity identity) {
        this.writer = writer;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("publisher")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(@PathParam("channel") String channel, PublishRequest request) {
        StringBuilder whyNot = new StringBuilder();
        if (ChannelName.parse(channel, whyNot).isEmpty()) {
            throw new BadRequestException(whyNot.toString());
        }
        if (request == null) {
            throw new BadRequestException("request body is missing");
        }
        EventEnvelope event = new EventEnvelope(UUID.randomUUID().toString(), channel, request.type(), request.data(),
                System.currentTimeMillis(), identity.getPrincipal().getName());
        return writer.write(event).map(accepted -> Response.accepted(accepted).build());
    }
}
