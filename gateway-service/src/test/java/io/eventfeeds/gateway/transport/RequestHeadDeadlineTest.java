package io.eventfeeds.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.RawWebSocket;
import io.eventfeeds.gateway.ShortConnectionTimings;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: a connection that does not finish its request head within the deadline is closed, however slowly it
 * keeps sending; a WebSocket open meanwhile, and a client that sends its requests at once, are not touched.
 */
@QuarkusTest
@TestProfile(ShortConnectionTimings.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RequestHeadDeadlineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** As many as the measurement held open for a minute before this deadline existed. */
    private static final int SLOW_CLIENTS = 10;
    private static final String CLOSED_COUNTER = "feeds.gateway.connections.closed.head.timeout";

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    MeterRegistry registry;

    @Test
    void aConnectionThatSendsNothingIsClosedAndAWebSocketOpenLongerIsNot() throws Exception {
        double closedBefore = closedSoFar();
        try (WsTestClient alice = WsTestClient.connect(ws, Tokens.accessToken("alice"));
                Socket silent = connect()) {
            // A frame from alice after her upgrade: were her connection still timed, this would start its clock.
            assertThat(alice.framesBeforePong(WAIT)).isEmpty();

            assertThat(bytesUntilClosed(silent)).isZero();
            assertThat(closedSoFar()).isGreaterThan(closedBefore);

            // The silent socket was closed after her ping, a whole deadline later: alice is still served.
            assertThat(alice.framesBeforePong(WAIT)).isEmpty();
            assertThat(alice.closed()).isNotDone();
        }
    }

    @Test
    void handshakesSentOneByteAtATimeAreClosedThoughTheirBytesKeepComingWhileAnotherClientIsServed()
            throws Exception {
        byte[] handshake = RawWebSocket.handshake(ws, Map.of("Authorization", "Bearer " + Tokens.accessToken("alice")));
        double closedBefore = closedSoFar();
        List<Socket> slow = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(connect());
            }
            writer.scheduleAtFixedRate(() -> {
                for (Socket socket : slow) {
                    try {
                        socket.getOutputStream().write(handshake[sent.get()]);
                    } catch (IOException closed) {
                        // closed by the gateway: the others keep sending
                    }
                }
                sent.incrementAndGet();
            }, 0, 100, TimeUnit.MILLISECONDS);

            // Meanwhile another client connects and is served.
            try (WsTestClient bob = WsTestClient.connect(ws, Tokens.accessToken("bob"))) {
                assertThat(bob.framesBeforePong(WAIT)).isEmpty();
            }
            for (Socket socket : slow) {
                assertThat(bytesUntilClosed(socket)).isZero();
            }
        } finally {
            writer.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertThat(sent.get()).as("bytes each sent before the close").isBetween(10, handshake.length - 1);
        assertThat(closedSoFar() - closedBefore).isGreaterThanOrEqualTo(SLOW_CLIENTS);
    }

    @Test
    void aKeptAliveConnectionIsTimedAgainFromTheFirstByteOfItsNextRequest() throws Exception {
        double closedBefore = closedSoFar();
        try (Socket client = connect()) {
            OutputStream out = client.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + ws.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 200");

            out.write('G');
            out.flush();
            assertThat(bytesUntilClosed(client)).as("body of the page, then nothing").isPositive();
        }
        assertThat(closedSoFar()).isGreaterThan(closedBefore);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(ws.getHost(), ws.getPort());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private double closedSoFar() {
        return registry.counter(CLOSED_COUNTER).count();
    }

    /** Reads until the server closes (an end of stream or a reset); throws if it is still open after WAIT. */
    private static long bytesUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        long read = 0;
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
            }
        } catch (SocketException reset) {
            // The server closed while this side was still writing: its kernel answered with a reset.
        }
        return read;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the response head ended");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
