package io.eventfeeds.security.clients;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "feeds.auth")
public interface ClientAllowlistConfig {

    /**
     * The Keycloak clients whose tokens the service accepts, by the token's {@code azp}; an entry ending in
     * {@code *} is a prefix ({@code apikey-*} for every API key). Unset: every client whose tokens carry the
     * {@code eventfeeds} audience. Production sets it, so that a client added to the realm for another purpose
     * cannot call the services just because its tokens carry the audience.
     */
    Optional<List<String>> allowedClients();
}
