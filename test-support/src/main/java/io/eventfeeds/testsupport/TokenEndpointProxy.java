package io.eventfeeds.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between the services under test and the shared Keycloak's token endpoint, where API keys are exchanged:
 * it counts the exchanges that reach Keycloak, and can hold them (a slow Keycloak) or answer 502 (a Keycloak that
 * cannot be reached, as an ingress in front of it would say), without stopping the Keycloak other tests share.
 * One per test JVM; point a service at it with {@link TokenEndpointProxyResource}.
 */
public final class TokenEndpointProxy {

    private static TokenEndpointProxy shared;

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI keycloakTokenEndpoint;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile Mode mode = Mode.FORWARD;
    private volatile CountDownLatch release = new CountDownLatch(0);

    private enum Mode { FORWARD, HOLD, FAIL }

    private TokenEndpointProxy(URI keycloakTokenEndpoint) {
        this.keycloakTokenEndpoint = keycloakTokenEndpoint;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        // Held requests each occupy a thread until released.
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "token-endpoint-proxy");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public static synchronized TokenEndpointProxy shared() {
        if (shared == null) {
            shared = new TokenEndpointProxy(URI.create(SharedServers.keycloak().realmUrl() + "/protocol/openid-connect/token"));
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** Passes every exchange on to Keycloak, including the ones held so far. */
    public void forward() {
        mode = Mode.FORWARD;
        release.countDown();
    }

    /** Holds every exchange from now on, unanswered, until {@link #forward()} or {@link #fail()}. */
    public void hold() {
        release = new CountDownLatch(1);
        mode = Mode.HOLD;
    }

    /** Answers 502 to every exchange from now on, held ones included. */
    public void fail() {
        mode = Mode.FAIL;
        release.countDown();
    }

    /** Exchanges that arrived here so far. */
    public int requests() {
        return requests.get();
    }

    /** Exchanges waiting unanswered right now. */
    public int held() {
        return held.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (mode == Mode.HOLD) {
                held.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
            }
            if (mode == Mode.FAIL) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(HttpRequest.newBuilder(keycloakTokenEndpoint)
                        .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }
}
