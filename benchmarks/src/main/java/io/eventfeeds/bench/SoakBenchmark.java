package io.eventfeeds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A soak of the gateway (#13 item 7): for a long steady run, a publisher writes numbered events to one channel
 * through feed-service, a few subscribers stay connected throughout, and the others churn: connect, subscribe
 * (resuming from the last position they saw), read for a few seconds, close, again. Every subscriber checks that it
 * saw each event after its first subscription exactly once and in order. Once a minute it samples the gateway's
 * RSS, open file descriptors and heap right after a full GC. A shorter warm-up of the same load runs first; the
 * gateway idle after it (every client closed) is the baseline for the gateway idle after the soak.
 *
 * <p>Settings are system properties (see benchmarks/run-soak); prints the samples and one Markdown table row, and
 * exits with 1 when an event was lost or duplicated, or the idle gateway's RSS or heap grew by more than 10 %, or
 * it kept more than a few file descriptors beyond those after the warm-up.
 */
public final class SoakBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Descriptors the idle gateway may hold beyond the baseline: its Kafka and Keycloak clients open and close a
     * few connections on their own schedule. A leak per session would show as hundreds after a soak's thousands.
     */
    private static final int FD_SLACK = 5;

    private final String gateway = setting("bench.gateway", "ws://127.0.0.1:8080/ws");
    private final String feed = setting("bench.feed", "http://127.0.0.1:8081");
    private final String gatewayMetrics = setting("bench.gateway-metrics", "http://127.0.0.1:9080/q/metrics");
    private final Path gatewayPidFile = Path.of(setting("bench.gateway-pid-file", ".platform/run/gateway.pid"));
    private final String apiKey = setting("bench.api-key", "");
    private final Duration length = Duration.ofMinutes(Long.parseLong(setting("bench.minutes", "30")));
    private final Duration warmUp = Duration.ofMinutes(Long.parseLong(setting("bench.warm-up-minutes", "2")));
    private final int rate = Integer.parseInt(setting("bench.rate", "20"));
    private final int steadyClients = Integer.parseInt(setting("bench.steady", "5"));
    private final int churningClients = Integer.parseInt(setting("bench.churning", "20"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // One phase at a time (warm-up, then the soak): each has its own channel, publisher and subscribers.
    private volatile String channel;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private volatile boolean publishing;
    private volatile boolean running;

    public static void main(String[] args) throws Exception {
        System.exit(new SoakBenchmark().run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        if (apiKey.isEmpty()) {
            throw new IllegalStateException("bench.api-key is required (benchmarks/run-soak makes one)");
        }
        long pid = Long.parseLong(Files.readString(gatewayPidFile).trim().split("\\s+")[0]);
        System.out.printf("before any client: %s%n", sample(pid));
        // The warm-up creates what the gateway makes once and keeps (replay readers, connection pools, compiled
        // code): the idle state after it is the baseline that the idle state after the soak is compared with.
        Phase warm = phase("warm-up", warmUp, pid);
        Sample idleBefore = idle(pid);
        System.out.printf("idle after the warm-up: %s%n", idleBefore);
        Phase soak = phase("soak", length, pid);
        Sample idleAfter = idle(pid);
        System.out.printf("idle after the soak: %s%n", idleAfter);

        Sample firstMinute = soak.samples.get(0);
        Sample lastMinute = soak.samples.get(soak.samples.size() - 1);
        double rssGrowth = growth(idleBefore.rss, idleAfter.rss);
        double heapGrowth = growth(idleBefore.heap, idleAfter.heap);
        System.out.printf("| %d min (+%d warm-up) | %d events at %d/s | %d steady + %d churning subscribers, %d sessions "
                        + "| lost %d, duplicated %d | idle after GC: RSS %.0f -> %.0f MiB (%+.1f%%), heap %.1f -> %.1f MiB "
                        + "(%+.1f%%), fds %d -> %d | under load, minute 1 -> %d: RSS %.0f -> %.0f MiB, heap after GC "
                        + "%.1f -> %.1f MiB, fds %d -> %d |%n",
                length.toMinutes(), warmUp.toMinutes(), soak.published, rate, steadyClients, churningClients,
                soak.sessions, soak.lost, soak.duplicated, mib(idleBefore.rss), mib(idleAfter.rss), rssGrowth,
                mib(idleBefore.heap), mib(idleAfter.heap), heapGrowth, idleBefore.fds, idleAfter.fds,
                soak.samples.size(), mib(firstMinute.rss), mib(lastMinute.rss), mib(firstMinute.heap),
                mib(lastMinute.heap), firstMinute.fds, lastMinute.fds);
        return warm.lost == 0 && warm.duplicated == 0 && soak.lost == 0 && soak.duplicated == 0 && rssGrowth <= 10
                && heapGrowth <= 10 && idleAfter.fds <= idleBefore.fds + FD_SLACK;
    }

    private record Phase(long published, long sessions, long lost, long duplicated, List<Sample> samples) {
    }

    private Phase phase(String label, Duration phaseLength, long pid) throws Exception {
        channel = "scores:soak-" + UUID.randomUUID().toString().substring(0, 8);
        published.set(0);
        sessions.set(0);
        publishing = true;
        running = true;
        List<Subscriber> subscribers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < steadyClients + churningClients; i++) {
            Subscriber subscriber = new Subscriber(i >= steadyClients);
            subscribers.add(subscriber);
            threads.add(start("subscriber-" + i, subscriber::run));
        }
        for (Subscriber subscriber : subscribers) {
            subscriber.firstSubscribed.get(60, TimeUnit.SECONDS);
        }
        Thread publisher = start("publisher", this::publish);

        long startedAt = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        while (System.nanoTime() - startedAt < phaseLength.toNanos()) {
            TimeUnit.MINUTES.sleep(1);
            Sample sample = sample(pid);
            samples.add(sample);
            System.out.printf("%s minute %d: %s, %d published, %d sessions%n", label, samples.size(), sample,
                    published.get(), sessions.get());
        }
        publishing = false;
        publisher.join();
        long last = published.get() - 1;
        // Every subscriber has seen the last event once it is back and caught up, or it never will.
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (subscribers.stream().anyMatch(s -> s.lastSeq < last) && System.nanoTime() < drainUntil) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        running = false;
        for (Subscriber subscriber : subscribers) {
            subscriber.stop();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        long lost = subscribers.stream().mapToLong(s -> s.gaps + Math.max(0, last - s.lastSeq)).sum();
        long duplicated = subscribers.stream().mapToLong(s -> s.repeats).sum();
        return new Phase(published.get(), sessions.get(), lost, duplicated, samples);
    }

    /** The gateway with no client: once it has seen every close (bounded wait), after a full GC. */
    private Sample idle(long pid) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (metric("feeds_gateway_connections") > 0 && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        TimeUnit.SECONDS.sleep(2);
        return sample(pid);
    }

    /** Numbered events, one at a time (so the log holds them in order), each retried with its key until written. */
    private void publish() {
        String idPrefix = UUID.randomUUID().toString();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        for (long seq = 0; publishing; seq++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(feed + "/api/v1/channels/" + channel + "/events"))
                    .header("Content-Type", "application/json").header("X-API-Key", apiKey)
                    .header("Idempotency-Key", idPrefix + "-" + seq)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"soak\",\"data\":{\"seq\":" + seq + "}}"))
                    .build();
            while (true) {
                try {
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 202) {
                        break;
                    }
                    long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
                    TimeUnit.SECONDS.sleep(Math.max(1, retryAfter));
                } catch (IOException e) {
                    sleepQuietly(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            published.incrementAndGet();
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleepQuietly(TimeUnit.NANOSECONDS.toMillis(wait));
            }
        }
    }

    /** One subscriber across its sessions: it resumes from the last position it saw, so it must miss nothing. */
    private final class Subscriber {

        final boolean churning;
        final CompletableFuture<Void> firstSubscribed = new CompletableFuture<>();
        volatile String lastPosition;
        volatile long lastSeq = -1;
        volatile long gaps;
        volatile long repeats;
        volatile WebSocket socket;

        Subscriber(boolean churning) {
            this.churning = churning;
        }

        void run() {
            while (running) {
                CompletableFuture<Void> closed = new CompletableFuture<>();
                try {
                    socket = http.newWebSocketBuilder().header("X-API-Key", apiKey)
                            .buildAsync(URI.create(gateway), new Frames(this, closed)).get(10, TimeUnit.SECONDS);
                    sessions.incrementAndGet();
                    String since = lastPosition == null ? "" : ",\"since\":\"" + lastPosition + "\"";
                    socket.sendText("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"" + since + "}", true);
                    long sessionMillis = churning ? ThreadLocalRandom.current().nextLong(2000, 10000) : Long.MAX_VALUE;
                    try {
                        closed.get(sessionMillis, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException endOfSession) {
                        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
                        closed.get(10, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    if (socket != null) {
                        socket.abort();
                    }
                }
                if (running) {
                    sleepQuietly(ThreadLocalRandom.current().nextLong(100, 1000));
                }
            }
        }

        void stop() {
            WebSocket current = socket;
            if (current != null) {
                current.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }

        void onFrame(JsonNode frame) {
            String type = frame.path("type").asText();
            if ("subscribed".equals(type)) {
                if (lastPosition == null && !frame.path("position").isNull()) {
                    lastPosition = frame.path("position").asText();
                }
                firstSubscribed.complete(null);
            } else if ("event".equals(type) && channel.equals(frame.path("channel").asText())) {
                // Every subscriber subscribed before event 0 was published: it must see 0, 1, 2, ... once each.
                long seq = frame.path("data").path("seq").asLong();
                if (seq <= lastSeq) {
                    repeats++;
                } else {
                    gaps += seq - lastSeq - 1;
                    lastSeq = seq;
                }
                lastPosition = frame.path("position").asText();
            }
        }
    }

    /** Hands whole text frames to a subscriber; completes {@code closed} when the connection ends either way. */
    private static final class Frames implements WebSocket.Listener {

        private final Subscriber subscriber;
        private final CompletableFuture<Void> closed;
        private final StringBuilder text = new StringBuilder();

        Frames(Subscriber subscriber, CompletableFuture<Void> closed) {
            this.subscriber = subscriber;
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    subscriber.onFrame(JSON.readTree(text.toString()));
                } catch (IOException e) {
                    closed.completeExceptionally(e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    private record Sample(long rss, long fds, long heap, long connections) {
        @Override
        public String toString() {
            return String.format("RSS %.0f MiB, %d fds, heap after a full GC %.1f MiB, %d connections", mib(rss), fds,
                    mib(heap), connections);
        }
    }

    /**
     * The gateway's RSS and open descriptors from /proc, and its heap right after a full GC that {@code jcmd} asks
     * for: the heap that is still referenced, which a leak makes grow, rather than whatever garbage is around.
     */
    private Sample sample(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run failed");
        }
        long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = open.count();
        }
        return new Sample(rss, fds, (long) metric("jvm_memory_used_bytes{area=\"heap\""),
                (long) metric("feeds_gateway_connections"));
    }

    /** The sum of a metric's series in the gateway's Prometheus output; -1 when it cannot be read. */
    private double metric(String name) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(gatewayMetrics)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")
                            || name.endsWith("\"") && line.startsWith(name))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double growth(long from, long to) {
        return from <= 0 ? Double.NaN : 100.0 * (to - from) / from;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String setting(String key, String fallback) {
        return System.getProperty(key, fallback);
    }
}
