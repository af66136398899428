package io.eventfeeds.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Short connection timings, for the tests that wait for them to pass: pings every 300 ms, 4 s of silence closes a
 * WebSocket, and a request head must arrive within 3 s. One profile for all of them, so Quarkus restarts the
 * application, Kafka and Keycloak once for these tests, not once per test class.
 */
public final class ShortConnectionTimings implements QuarkusTestProfile {

    public static final int HANDSHAKE_TIMEOUT_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.websockets-next.server.auto-ping-interval", "300ms",
                "feeds.gateway.idle-timeout", "4S",
                "feeds.gateway.handshake-timeout", HANDSHAKE_TIMEOUT_SECONDS + "S");
    }
}
