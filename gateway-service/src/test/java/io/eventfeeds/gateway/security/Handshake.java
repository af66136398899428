package io.eventfeeds.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JDK WebSocket client that can present any handshake credentials (headers, subprotocols), unlike test-support's
 * WsTestClient which only sends a bearer header. Kept here because only these tests need it.
 */
final class Handshake {

    /** The carrier subprotocol the gateway echoes back (application.properties). */
    static final String CARRIER = "bearer-token-carrier";

    private final Map<String, String> headers = new LinkedHashMap<>();
    private String[] subprotocols = new String[0];

    static Handshake bearer(String token) {
        return new Handshake().header("Authorization", "Bearer " + token);
    }

    /** What a browser sends: the token inside a subprotocol, URI-encoded, next to the carrier. */
    static Handshake browserSubprotocol(String token) {
        Handshake handshake = new Handshake();
        handshake.subprotocols = new String[] {CARRIER,
            URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8)};
        return handshake;
    }

    static Handshake apiKey(String key) {
        return new Handshake().header("X-API-Key", key);
    }

    static Handshake none() {
        return new Handshake();
    }

    Handshake header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Connects, or throws {@link Refused} with the HTTP status the server answered instead of 101. */
    Connection connect(URI httpUri) {
        URI uri = URI.create(httpUri.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            String[] rest = new String[subprotocols.length - 1];
            System.arraycopy(subprotocols, 1, rest, 0, rest.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        Connection connection = new Connection();
        try {
            connection.socket = builder.buildAsync(uri, connection).join();
            return connection;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    /** The status of a refused handshake, or 101 when it was accepted (and the connection closed again). */
    int status(URI httpUri) {
        try (Connection ignored = connect(httpUri)) {
            return 101;
        } catch (Refused refused) {
            return refused.status;
        }
    }

    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status) {
            super("handshake refused with HTTP " + status);
            this.status = status;
        }
    }

    static final class Connection implements WebSocket.Listener, AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();

        private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        /** The close code and when it arrived. */
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private WebSocket socket;

        String subprotocol() {
            return socket.getSubprotocol();
        }

        void send(String frame) {
            socket.sendText(frame, true).join();
        }

        JsonNode awaitFrame(Predicate<JsonNode> matching, Duration timeout) {
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

        JsonNode awaitType(String type, Duration timeout) {
            return awaitFrame(frame -> type.equals(frame.path("type").asText()), timeout);
        }

        /** Whether a matching frame has arrived so far (no waiting). */
        boolean received(Predicate<JsonNode> matching) {
            return frames.stream().anyMatch(matching);
        }

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
            closed.complete(new Closed(statusCode, Instant.now()));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        @Override
        public void close() {
            if (socket != null && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            }
            if (socket != null) {
                socket.abort();
            }
        }
    }

    record Closed(int code, Instant at) {
    }
}
