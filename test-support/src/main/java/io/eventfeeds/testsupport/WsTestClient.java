package io.eventfeeds.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A plain WebSocket client (the JDK's, not the server's own stack) that keeps every frame it receives, so tests
 * talk to the gateway the way an outside client does.
 */
public final class WsTestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean paused;

    private WsTestClient(URI uri, Handshake handshake) {
        HttpClient.Builder http = HttpClient.newBuilder();
        if (handshake.tls != null) {
            http.sslContext(handshake.tls);
        }
        WebSocket.Builder builder = http.build().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        handshake.headers.forEach(builder::header);
        if (!handshake.subprotocols.isEmpty()) {
            List<String> rest = handshake.subprotocols.subList(1, handshake.subprotocols.size());
            builder.subprotocols(handshake.subprotocols.get(0), rest.toArray(String[]::new));
        }
        try {
            this.socket = builder.buildAsync(wsUri(uri), new Collector()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefused(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    /**
     * Connects with a bearer token (or none); throws if the handshake is refused. An http(s) URI, as
     * {@code @TestHTTPResource} gives, is taken as the matching ws(s) URI.
     */
    public static WsTestClient connect(URI uri, String bearerToken) {
        return connect(uri, bearerToken, null);
    }

    /** Connects over {@code wss://} trusting what the given context trusts (for self-signed test certificates). */
    public static WsTestClient connect(URI uri, String bearerToken, SSLContext tls) {
        Handshake handshake = handshake().tls(tls);
        if (bearerToken != null) {
            handshake.header("Authorization", "Bearer " + bearerToken);
        }
        return handshake.connect(uri);
    }

    /** A handshake with any credentials (headers, subprotocols), for tests of the handshake itself. */
    public static Handshake handshake() {
        return new Handshake();
    }

    private static URI wsUri(URI uri) {
        String scheme = uri.getScheme().replaceFirst("^http", "ws");
        return URI.create(scheme + uri.toString().substring(uri.getScheme().length()));
    }

    public void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** A binary frame, which the protocol does not use. */
    public void sendBinary(byte[] frame) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(frame), true).join();
    }

    /**
     * Stops reading frames, like a stalled browser tab: what the server sends then backs up in the TCP buffers and
     * in the server's outbound queue.
     */
    public void pauseReading() {
        paused = true;
    }

    /** Reads frames again after {@link #pauseReading}. */
    public void resumeReading() {
        if (paused) {
            paused = false;
            socket.request(1);
        }
    }

    /** The next frame that matches, skipping (and dropping) others, or an AssertionError after the timeout. */
    public JsonNode awaitFrame(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    throw new AssertionError("no matching frame within " + timeout);
                }
                if (matching.test(frame)) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * One frame for each expectation, in whatever order they arrive, skipping frames that match none. Frames that
     * travel separately (a publish's ack and the sender's own copy of the event) have no order between them.
     */
    @SafeVarargs
    public final List<JsonNode> awaitEach(Duration timeout, Predicate<JsonNode>... expected) {
        JsonNode[] found = new JsonNode[expected.length];
        int missing = expected.length;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (missing > 0) {
                long left = deadline - System.nanoTime();
                JsonNode frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    throw new AssertionError(missing + " of " + expected.length + " expected frames missing after "
                            + timeout + "; found " + Arrays.toString(found));
                }
                for (int i = 0; i < expected.length; i++) {
                    if (found[i] == null && expected[i].test(frame)) {
                        found[i] = frame;
                        missing--;
                        break;
                    }
                }
            }
            return List.of(found);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Matches frames of one {@code type}, for {@link #awaitEach}. */
    public static Predicate<JsonNode> ofType(String type) {
        return frame -> type.equals(frame.path("type").asText());
    }

    public JsonNode awaitType(String type, Duration timeout) {
        return awaitFrame(ofType(type), timeout);
    }

    /**
     * Sends {@code {"op":"ping"}} and returns, in order, the frames not awaited yet that arrived before the pong.
     * The server writes a connection's frames in order, so anything it sent before it read the ping is in the list:
     * a barrier for "nothing else arrived", instead of waiting a fixed time. It ends at the first pong, so await
     * the pongs of earlier pings first.
     */
    public List<JsonNode> framesBeforePong(Duration timeout) {
        try {
            send("{\"op\":\"ping\"}");
        } catch (CompletionException e) {
            throw new AssertionError("cannot send a ping" + closeSoFar(), e);
        }
        List<JsonNode> received = framesUntil(ofType("pong"), timeout);
        return received.subList(0, received.size() - 1);
    }

    /**
     * Every frame not awaited yet, in order, up to and including the first that matches: unlike
     * {@link #awaitFrame}, the frames before it are kept for the test to check. Fails when the connection closes,
     * or none matches, within the timeout.
     */
    public List<JsonNode> framesUntil(Predicate<JsonNode> last, Duration timeout) {
        List<JsonNode> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                // Short polls, so that a close ends the wait at once instead of at the timeout.
                JsonNode frame = frames.poll(50, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    received.add(frame);
                    if (last.test(frame)) {
                        return received;
                    }
                } else if (closed.isDone() || System.nanoTime() - deadline >= 0) {
                    throw new AssertionError("no matching frame within " + timeout + closeSoFar() + "; received "
                            + received);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String closeSoFar() {
        if (!closed.isDone()) {
            return "";
        }
        return closed.isCompletedExceptionally() ? " (the connection failed)"
                : " (the server closed the connection with " + closed.join().code() + ")";
    }

    /**
     * Every frame not awaited yet, without waiting: after the connection ended, what arrived before it did, for a
     * test that counts every frame across a reconnect.
     */
    public List<JsonNode> remainingFrames() {
        List<JsonNode> remaining = new ArrayList<>();
        frames.drainTo(remaining);
        return remaining;
    }

    /** The close code the server sent, once it closed. */
    public CompletableFuture<Integer> closeCode() {
        return closed.thenApply(Closed::code);
    }

    /** The server's close frame and when it arrived. */
    public CompletableFuture<Closed> closed() {
        return closed;
    }

    /** The subprotocol the server selected, or an empty string. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /**
     * Whether a matching frame has arrived and not yet been awaited (no waiting). The awaits drop the frames they
     * skip, and a frame may still be on its way: for "did not arrive", see {@link #framesBeforePong}.
     */
    public boolean received(Predicate<JsonNode> matching) {
        return frames.stream().anyMatch(matching);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    /** The credentials and options of one upgrade request. */
    public static final class Handshake {
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> subprotocols = new ArrayList<>();
        private SSLContext tls;

        private Handshake() {
        }

        public Handshake header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Handshake subprotocols(String... offered) {
            subprotocols.addAll(List.of(offered));
            return this;
        }

        public Handshake tls(SSLContext context) {
            tls = context;
            return this;
        }

        /** Connects, or throws {@link HandshakeRefused} with the status the server answered instead of 101. */
        public WsTestClient connect(URI uri) {
            return new WsTestClient(uri, this);
        }

        /** The status of the upgrade: 101 when accepted (the connection is closed again), else the refusal's. */
        public int status(URI uri) {
            try (WsTestClient ignored = connect(uri)) {
                return 101;
            } catch (HandshakeRefused refused) {
                return refused.status();
            }
        }
    }

    /** A close frame from the server: its code and when it arrived. */
    public record Closed(int code, Instant at) {
    }

    /** The server answered the upgrade with an HTTP status instead of 101. */
    public static final class HandshakeRefused extends RuntimeException {
        private final int status;

        HandshakeRefused(int status) {
            super("WebSocket handshake refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    partial.setLength(0);
                }
            }
            // While paused the last frame asks for no next one; resumeReading() asks for it. An extra request
            // when the two cross is harmless.
            if (!last || !paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, Instant.now()));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
