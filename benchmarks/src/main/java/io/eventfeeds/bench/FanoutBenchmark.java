package io.eventfeeds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * End-to-end fan-out benchmark against a running platform: N WebSocket subscribers on one channel, M events
 * published through feed-service at a fixed rate, and for every delivered frame the time from just before the
 * POST to its arrival at the subscriber (one JVM sends and receives, so System.nanoTime is one clock).
 *
 * <p>Settings are system properties (see benchmarks/run-fanout); the result is printed as a Markdown table row for
 * docs/performance.md. The load is bounded in count and time and goes to loopback only.
 */
public final class FanoutBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gateway = setting("bench.gateway", "ws://127.0.0.1:8080/ws");
    private final String feed = setting("bench.feed", "http://127.0.0.1:8081");
    private final String keycloak = setting("bench.keycloak", "http://127.0.0.1:8180");
    private final String apiKey = setting("bench.api-key", "");
    private final int subscribers = Integer.parseInt(setting("bench.subscribers", "200"));
    private final int stalled = Integer.parseInt(setting("bench.stalled", "0"));
    private final String filler = "x".repeat(Integer.parseInt(setting("bench.payload-bytes", "0")));
    private final String gatewayMetrics = setting("bench.gateway-metrics", "http://127.0.0.1:9080/q/metrics");
    private final int events = Integer.parseInt(setting("bench.events", "2000"));
    private final int rate = Integer.parseInt(setting("bench.rate", "200"));
    private final int inFlight = Integer.parseInt(setting("bench.in-flight", "32"));
    private final Duration drainTimeout = Duration.ofSeconds(Long.parseLong(setting("bench.drain-seconds", "60")));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Histogram delivery = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram ack = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final String channel = "scores:bench-" + UUID.randomUUID().toString().substring(0, 8);

    public static void main(String[] args) throws Exception {
        new FanoutBenchmark().run();
    }

    private void run() throws Exception {
        // The run's API key (run-fanout gives it --max-connections) may hold every subscriber's connection; a demo
        // user may hold only the gateway's default cap.
        String[] subscriberAuth = apiKey.isEmpty()
                ? new String[] {"Authorization", "Bearer " + token(
                        "grant_type=password&client_id=feeds-cli&username=alice&password=alice-demo")}
                : new String[] {"X-API-Key", apiKey};
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            sockets.add(http.newWebSocketBuilder().header(subscriberAuth[0], subscriberAuth[1])
                    .buildAsync(URI.create(gateway), new Subscriber(ready)).join());
            sockets.get(i).sendText("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).join();
            subscribed.add(ready);
        }
        // Stalled subscribers read until they are subscribed and then never again, like a frozen tab: the
        // gateway must drop them (4008) and its heap must not grow with what they do not read.
        for (int i = 0; i < stalled; i++) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            sockets.add(http.newWebSocketBuilder().header(subscriberAuth[0], subscriberAuth[1])
                    .buildAsync(URI.create(gateway), new Stalled(ready)).join());
            sockets.get(sockets.size() - 1).sendText("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}", true)
                    .join();
            subscribed.add(ready);
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double droppedBefore = gatewayMetric("feeds_gateway_slow_clients_dropped_total");
        AtomicLong heapPeak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> heapPeak.accumulateAndGet(
                (long) gatewayMetric("jvm_memory_used_bytes{area=\"heap\""), Math::max), 0, 250, TimeUnit.MILLISECONDS);

        String publisherAuth = apiKey.isEmpty()
                ? "Bearer " + token("grant_type=client_credentials&client_id=demo-publisher&client_secret=demo-publisher-secret")
                : null;
        Semaphore window = new Semaphore(inFlight);
        long started = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < events; i++) {
            long due = started + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            window.acquire();
            long sent = System.nanoTime();
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(feed + "/api/v1/channels/" + channel + "/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"bench\",\"data\":{\"seq\":" + i
                            + ",\"sent\":" + sent + ",\"filler\":\"" + filler + "\"}}"));
            if (publisherAuth != null) {
                post.header("Authorization", publisherAuth);
            } else {
                post.header("X-API-Key", apiKey);
            }
            http.sendAsync(post.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                window.release();
                if (failure == null && response.statusCode() == 202) {
                    ack.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
                } else {
                    refused.incrementAndGet();
                }
            });
        }
        window.acquire(inFlight);
        double publishSeconds = (System.nanoTime() - started) / 1e9;

        long expected = (long) (events - refused.get()) * subscribers;
        long drainUntil = System.nanoTime() + drainTimeout.toNanos();
        while (delivered.get() < expected && System.nanoTime() < drainUntil) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        sampler.shutdownNow();
        double dropped = gatewayMetric("feeds_gateway_slow_clients_dropped_total") - droppedBefore;
        sockets.forEach(socket -> socket.abort());

        System.out.printf("| %d subscribers | %d events of %d B at %d/s | %.0f events/s accepted | %d refused "
                        + "| ack p50 %.1f ms, p99 %.1f ms | delivery p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms "
                        + "| %d of %d frames delivered | %d stalled, %.0f dropped | gateway heap peak %.0f MiB |%n",
                subscribers, events, filler.length(), rate, (events - refused.get()) / publishSeconds, refused.get(),
                ms(ack, 50), ms(ack, 99), ms(delivery, 50), ms(delivery, 90), ms(delivery, 99),
                delivery.getMaxValue() / 1000.0, delivered.get(), expected, stalled, dropped,
                heapPeak.get() / (1024.0 * 1024.0));
        if (delivered.get() < expected) {
            System.exit(1);
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The sum of a metric's series whose line starts with {@code prefix} in the gateway's Prometheus output. */
    private double gatewayMetric(String prefix) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(gatewayMetrics)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(line -> line.startsWith(prefix))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private String token(String form) throws Exception {
        return TokenRequest.accessToken(http, keycloak, form);
    }

    private static String setting(String key, String fallback) {
        return System.getProperty(key, fallback);
    }

    /** Reads frames until it is subscribed, then asks for no more: the gateway's queue for it fills up. */
    private static final class Stalled implements WebSocket.Listener {
        private final CompletableFuture<Void> ready;

        Stalled(CompletableFuture<Void> ready) {
            this.ready = ready;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (last && data.toString().contains("\"subscribed\"")) {
                ready.complete(null);
            } else {
                socket.request(1);
            }
            return null;
        }
    }

    /** Counts event frames and records their latency; completes {@code ready} on "subscribed". */
    private final class Subscriber implements WebSocket.Listener {
        private final CompletableFuture<Void> ready;
        private final StringBuilder partial = new StringBuilder();

        Subscriber(CompletableFuture<Void> ready) {
            this.ready = ready;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    String type = frame.path("type").asText();
                    if ("event".equals(type)) {
                        delivery.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(
                                now - frame.path("data").path("sent").asLong())));
                        delivered.incrementAndGet();
                    } else if ("subscribed".equals(type)) {
                        ready.complete(null);
                    } else if ("error".equals(type)) {
                        ready.completeExceptionally(new IllegalStateException(frame.toString()));
                    }
                } catch (Exception e) {
                    ready.completeExceptionally(e);
                } finally {
                    partial.setLength(0);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
