package io.eventfeeds.gateway.security;

import io.eventfeeds.testsupport.WsTestClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The ways a client presents credentials at the WebSocket upgrade, as handshakes ready to connect. */
final class Credentials {

    /** The carrier subprotocol the gateway echoes back (application.properties). */
    static final String CARRIER = "bearer-token-carrier";

    private Credentials() {
    }

    static WsTestClient.Handshake bearer(String token) {
        return WsTestClient.handshake().header("Authorization", "Bearer " + token);
    }

    /** What a browser sends: the token inside a subprotocol, URI-encoded, next to the carrier. */
    static WsTestClient.Handshake browserSubprotocol(String token) {
        return WsTestClient.handshake().subprotocols(CARRIER,
                URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8));
    }

    static WsTestClient.Handshake apiKey(String key) {
        return WsTestClient.handshake().header("X-API-Key", key);
    }

    static WsTestClient.Handshake none() {
        return WsTestClient.handshake();
    }
}
