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
import java.util.Arrays;
import java.util.List;
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
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsTestClient(URI uri, String bearerToken, SSLContext tls) {
        HttpClient.Builder http = HttpClient.newBuilder();
        if (tls != null) {
            http.sslContext(tls);
        }
        WebSocket.Builder builder = http.build().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (bearerToken != null) {
            builder.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            this.socket = builder.buildAsync(uri, new Collector()).join();
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
        String scheme = uri.getScheme().replaceFirst("^http", "ws");
        return new WsTestClient(URI.create(scheme + uri.toString().substring(uri.getScheme().length())), bearerToken,
                tls);
    }

    public void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** The next frame that matches, skipping others, or an AssertionError after the timeout. */
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

    /** The close code the server sent, once it closed. */
    public CompletableFuture<Integer> closeCode() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
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
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
