package io.eventfeeds.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The gateway's latency settings (docs/operations.md) as the running application has them: the native transport
 * really loaded, no per-message compression on the wire, the Kafka clients the connector built.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LatencySettingsTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    Vertx vertx;

    @Inject
    KafkaClientService kafka;

    @ConfigProperty(name = "mp.messaging.incoming.events-in.poll-timeout")
    int pollTimeoutMillis;

    @Test
    void vertxRunsOnTheNativeEpollTransport() {
        // prefer-native-transport falls back to NIO with only a log line when the native library cannot load.
        assertThat(vertx.isNativeTransportEnabled())
                .as("native transport (cause of a fallback: %s)", vertx.unavailableNativeTransportCause())
                .isTrue();
    }

    @Test
    void aClientOfferingPerMessageDeflateGetsNoExtension() throws IOException {
        Map<String, List<String>> response = upgrade("permessage-deflate; client_max_window_bits");

        assertThat(response.get(":status")).containsExactly("101");
        assertThat(response).doesNotContainKey("sec-websocket-extensions");
    }

    @Test
    void eventsInFetchesAnswerAsSoonAsAnEventIsThere() {
        Map<String, ?> consumer = kafka.getConsumer("events-in").configuration();

        assertThat(String.valueOf(consumer.get("fetch.min.bytes"))).isEqualTo("1");
        assertThat(Integer.parseInt(String.valueOf(consumer.get("fetch.max.wait.ms")))).isLessThanOrEqualTo(100);
        assertThat(pollTimeoutMillis).isLessThanOrEqualTo(100);
    }

    @Test
    void clientPublishesAreSentAtOnceAndAcknowledgedByEveryInSyncReplica() {
        Map<String, ?> producer = kafka.getProducer("events-out").configuration();

        assertThat(String.valueOf(producer.get("linger.ms"))).isEqualTo("0");
        assertThat(String.valueOf(producer.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(producer.get("enable.idempotence"))).isEqualTo("true");
    }

    /**
     * A WebSocket upgrade written by hand: the JDK's client may not offer extensions, and shows no response headers.
     * Returns the response's headers, lower-cased, and its status under ":status".
     */
    private Map<String, List<String>> upgrade(String extensions) throws IOException {
        String key = Base64.getEncoder().encodeToString("latency-test-key".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + ws.getPath() + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: " + extensions + "\r\n"
                + "Authorization: Bearer " + Tokens.accessToken("alice") + "\r\n"
                + "\r\n";
        try (Socket socket = new Socket(ws.getHost(), ws.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String status = in.readLine();
            headers.put(":status", List.of(status == null ? "" : status.split(" ")[1]));
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            return headers;
        }
    }
}
