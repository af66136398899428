package io.eventfeeds.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

@ConfigMapping(prefix = "feeds.gateway.security")
public interface GatewaySecurityConfig {

    /**
     * Origins whose pages may open the WebSocket (cross-site WebSocket hijacking: browsers send {@code Origin} but
     * CORS does not apply to WebSockets). A handshake without {@code Origin} comes from a non-browser client and is
     * allowed. By default the gateway's own page, on the ports it listens on.
     */
    @WithDefault("http://localhost:${quarkus.http.port:8080},http://127.0.0.1:${quarkus.http.port:8080},"
            + "https://localhost:${quarkus.http.ssl-port:8443}")
    List<String> allowedOrigins();

    /**
     * How often an open API-key connection's key is checked with Keycloak again, so that revoking a key ends its
     * connections within this time (as {@code feeds.api-keys.cache-ttl} bounds it for new requests).
     */
    @WithDefault("60S")
    Duration apiKeyRecheck();
}
