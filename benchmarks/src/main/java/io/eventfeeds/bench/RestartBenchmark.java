package io.eventfeeds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * How fast a gateway killed with {@code kill -9} serves again (#13): against the platform that {@code ./platform up}
 * started, it kills the gateway's JVM, lets {@code ./platform up} start a new one, and measures from the new
 * process's start (its start time in /proc) to its first accepted TCP connection and to its first
 * {@code subscribed} answer. The clocks are the kernel's boot time plus the process's start ticks, and this JVM's
 * wall clock: both are the machine's, to within a clock tick (10 ms).
 *
 * <p>Settings are system properties (see benchmarks/run-restart); prints one Markdown table row.
 */
public final class RestartBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Path root = Path.of(setting("bench.root", "."));
    private final Path platformDir = root.resolve(setting("bench.platform-dir", ".platform"));
    private final Path pidFile = platformDir.resolve("run/gateway.pid");
    private final int gatewayPort = Integer.parseInt(setting("bench.gateway-port", "8080"));
    private final String keycloak = setting("bench.keycloak", "http://127.0.0.1:8180");
    private final int runs = Integer.parseInt(setting("bench.runs", "5"));
    private final Duration giveUp = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        new RestartBenchmark().run();
    }

    private void run() throws Exception {
        String token = token("grant_type=password&client_id=feeds-cli&username=alice&password=alice-demo");
        List<Long> accepted = new ArrayList<>();
        List<Long> subscribed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long oldPid = readPid()[0];
            ProcessHandle old = ProcessHandle.of(oldPid).orElseThrow(() -> new IllegalStateException(
                    "gateway pid " + oldPid + " is not running: run ./platform up first"));
            old.destroyForcibly();
            old.onExit().get(30, TimeUnit.SECONDS);
            Process up = new ProcessBuilder("./platform", "up").directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(platformDir.resolve("logs/restart-bench.log").toFile())
                    .start();
            // ./platform up may rebuild first (sources changed): the clock starts with the new process, not before.
            long buildDeadline = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
            long[] fresh;
            do {
                fresh = readPidIfPresent();
                pause(buildDeadline);
            } while (fresh == null || fresh[0] == oldPid);
            long deadline = System.currentTimeMillis() + giveUp.toMillis();
            long startedAt = startEpochMillis(fresh[1]);
            while (!accepts()) {
                pause(deadline);
            }
            long acceptedAt = System.currentTimeMillis();
            while (!subscribes(token)) {
                pause(deadline);
            }
            long subscribedAt = System.currentTimeMillis();
            accepted.add(acceptedAt - startedAt);
            subscribed.add(subscribedAt - startedAt);
            System.err.printf("run %d: accepted after %d ms, subscribed after %d ms%n", i + 1, acceptedAt - startedAt,
                    subscribedAt - startedAt);
            if (!up.waitFor(120, TimeUnit.SECONDS) || up.exitValue() != 0) {
                throw new IllegalStateException("./platform up did not finish well: see "
                        + platformDir.resolve("logs/restart-bench.log"));
            }
        }
        System.out.printf("| %d restarts | accept: median %d ms, max %d ms | first subscribed: median %d ms, max %d ms |%n",
                runs, median(accepted), max(accepted), median(subscribed), max(subscribed));
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gatewayPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One WebSocket, one subscribe: true when the answer is {@code subscribed} (not {@code not_ready}, not an error). */
    private boolean subscribes(String token) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = null;
        try {
            socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + gatewayPort + "/ws"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                answer.complete(text.toString());
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            answer.completeExceptionally(error);
                        }
                    }).get(2, TimeUnit.SECONDS);
            socket.sendText("{\"op\":\"subscribe\",\"channel\":\"scores:restart-bench\"}", true);
            JsonNode frame = JSON.readTree(answer.get(5, TimeUnit.SECONDS));
            return "subscribed".equals(frame.path("type").asText());
        } catch (Exception e) {
            return false;
        } finally {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    private long[] readPid() throws IOException {
        long[] pid = readPidIfPresent();
        if (pid == null) {
            throw new IllegalStateException(pidFile + " is missing: run ./platform up first");
        }
        return pid;
    }

    /** The pid file of ./platform: "pid starttime", the start time in clock ticks since boot (/proc/PID/stat). */
    private long[] readPidIfPresent() throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return null;
        }
        String[] parts = Files.readString(pidFile).trim().split("\\s+");
        if (parts.length < 2 || parts[1].isEmpty()) {
            return null;
        }
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    private static long startEpochMillis(long startTicks) throws IOException {
        long bootSeconds = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("btime "))
                .mapToLong(l -> Long.parseLong(l.substring(6).trim())).findFirst().orElseThrow();
        return bootSeconds * 1000 + startTicks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    private String token(String form) throws Exception {
        return TokenRequest.accessToken(http, keycloak, form);
    }

    private void pause(long deadline) throws InterruptedException {
        if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("the gateway did not serve within " + giveUp.toSeconds() + " s");
        }
        TimeUnit.MILLISECONDS.sleep(10);
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static String setting(String key, String fallback) {
        return System.getProperty(key, fallback);
    }
}
