package io.eventfeeds.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Map;

/** A protected endpoint of the test application, standing for the services' REST resources. */
@Path("/test/whoami")
public class WhoAmIResource {

    private final SecurityIdentity identity;

    public WhoAmIResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @RolesAllowed("publisher")
    public Map<String, Object> whoami() {
        return Map.of("name", identity.getPrincipal().getName(), "roles", identity.getRoles());
    }
}
