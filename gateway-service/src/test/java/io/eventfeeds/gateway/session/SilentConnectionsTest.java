package io.eventfeeds.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.gateway.RawWebSocket;
import io.eventfeeds.gateway.ShortConnectionTimings;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Liveness with short timings: pings every 300 ms, and 4 s of silence closes a connection. */
@QuarkusTest
@TestProfile(ShortConnectionTimings.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SilentConnectionsTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    ClientSessions sessions;

    @Test
    void aClientThatAnswersPingsStaysConnectedThoughItSendsNothing() throws Exception {
        try (WsTestClient alice = WsTestClient.connect(ws, Tokens.accessToken("alice"));
                RawWebSocket silent = RawWebSocket.open(ws, Tokens.accessToken("alice"))) {
            // The barrier: a connection opened after alice's that answers no ping is closed as silent. By then alice
            // has sent nothing for longer than the idle timeout, and the check that closed the other one saw hers.
            assertThat(silent.closeCode(Duration.ofSeconds(15))).isEqualTo(4009);

            assertThat(alice.framesBeforePong(Duration.ofSeconds(10))).as("frames before the pong").isEmpty();
            assertThat(alice.closed()).isNotDone();
        }
    }

    @Test
    void aClientThatNeitherSendsNorAnswersPingsIsClosedWith4009() throws Exception {
        int before = sessions.count();
        // A raw socket that upgrades and then reads nothing: no WebSocket library answers a ping on its behalf,
        // as none would for a client whose network vanished.
        try (Socket socket = new Socket(ws.getHost(), ws.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: c2lsZW50LWNsaWVudC0xMg==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + Tokens.accessToken("alice") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(readLine(in)).startsWith("HTTP/1.1 101");
            while (!readLine(in).isEmpty()) {
                // the rest of the upgrade's headers
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> sessions.count() == before + 1);

            assertThat(closeCode(in)).isEqualTo(4009);
        }
        // Once the client's side is gone too, so is its session.
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count() == before);
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Skips the server's (unmasked) frames, pings among them, up to its close frame, and returns the close code. */
    private static int closeCode(DataInputStream in) throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            if (opcode == 0x8) {
                return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }
}
