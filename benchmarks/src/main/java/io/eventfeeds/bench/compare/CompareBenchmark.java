package io.eventfeeds.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the same scenarios against nginx + nchan and against the platform, one after the other, and writes
 * results.json and report.html with the ratio platform / nchan of every metric (benchmarks/run-compare, settings
 * are environment variables, see docs/performance.md).
 *
 * <p>Subscribers live in {@link Generator} processes of their own; the publisher runs here, on its own schedule.
 * Every row says whether the generator or the publisher was saturated: such a row measures the load generator, not
 * the server.
 */
public final class CompareBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How often the drain is counted, so also how fine the "last event delivered" time is. */
    private static final Duration DRAIN_CHECK = Duration.ofMillis(10);

    private final String runId = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
    private final Path out = Path.of(env("OUT_DIR", "benchmarks/results/latest"));
    private final List<GeneratorHandle> generators = new ArrayList<>();
    private final Rows rows = new Rows();
    private final List<String> notes = new ArrayList<>();
    private int openCalls;

    private final int drainSeconds = intEnv("DRAIN_SECONDS", 60);
    private final int inFlight = intEnv("PUBLISH_IN_FLIGHT", 128);
    private final int openConcurrency = intEnv("OPEN_CONCURRENCY", 200);

    public static void main(String[] args) throws Exception {
        new CompareBenchmark().run();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, Integer.toString(fallback)));
    }

    static List<Double> ratesEnv(String name, String fallback) {
        return Arrays.stream(env(name, fallback).split("[ ,]+")).filter(s -> !s.isBlank()).map(Double::parseDouble)
                .collect(Collectors.toList());
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        List<Target> targets = new ArrayList<>();
        for (String name : env("TARGETS", "nchan platform").split("[ ,]+")) {
            targets.add(switch (name) {
                case "nchan" -> new Target.Nchan(intEnv("NCHAN_PORT", 8090), Long.parseLong(env("NCHAN_PID", "0")));
                case "platform" -> new Target.Platform("ws://127.0.0.1:" + env("GATEWAY_PORT", "8080") + "/ws",
                        "http://127.0.0.1:" + env("FEED_PORT", "8081"), "http://127.0.0.1:" + env("KEYCLOAK_PORT", "8180"),
                        env("API_KEY", ""), Arrays.stream(env("RESUME_API_KEYS", "").split(" "))
                                .filter(k -> !k.isBlank()).toList(),
                        Path.of(env("PLATFORM_DIR", ".platform")).resolve("run"));
                default -> throw new IllegalArgumentException("unknown target " + name);
            });
        }
        String heap = env("GENERATOR_HEAP", "768m");
        for (int i = 0; i < intEnv("GENERATORS", 2); i++) {
            generators.add(new GeneratorHandle(i, heap, out.resolve("generator-" + i + ".log")));
        }
        Map<String, Object> meta = meta(targets);
        try {
            for (String scenario : env("SCENARIOS", "broadcast channels idle resume").split("[ ,]+")) {
                for (Target target : targets) {
                    log("== %s against %s", scenario, target.name());
                    try {
                        switch (scenario) {
                            case "broadcast" -> broadcast(target);
                            case "channels" -> channels(target);
                            case "idle" -> idle(target);
                            case "resume" -> resume(target);
                            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                        }
                    } catch (Exception e) {
                        log("!! %s against %s failed: %s", scenario, target.name(), e);
                        notes.add(scenario + " against " + target.name() + " failed: " + e);
                        closeAll(false);
                    }
                }
            }
        } finally {
            generators.forEach(GeneratorHandle::close);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        meta.put("finished", Instant.now().toString());
        result.put("meta", meta);
        result.put("notes", notes);
        result.put("rows", rows.toJson());
        Files.writeString(out.resolve("results.json"), JSON.writeValueAsString(result), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("report.html"), HtmlReport.render(JSON.valueToTree(result)), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(HtmlReport.markdownSummary(JSON.valueToTree(result)));
        log("results: %s and %s", out.resolve("results.json"), out.resolve("report.html"));
    }

    private Map<String, Object> meta(List<Target> targets) throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("started", Instant.now().toString());
        meta.put("commit", env("GIT_COMMIT", "unknown"));
        meta.put("cores", Runtime.getRuntime().availableProcessors());
        meta.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
        meta.put("memTotal", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        meta.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        meta.put("java", System.getProperty("java.version"));
        meta.put("targets", targets.stream().map(Target::name).collect(Collectors.toList()));
        meta.put("generators", generators.size());
        Map<String, String> settings = new LinkedHashMap<>();
        System.getenv().entrySet().stream()
                .filter(e -> e.getKey().matches("(BROADCAST|SEARCH|CHANNELS|IDLE|RESUME|DRAIN|WARMUP|PUBLISH|OPEN|GENERATOR)_.*|GENERATORS|SCENARIOS|TARGETS|NCHAN_PORT"))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> settings.put(e.getKey(), e.getValue()));
        meta.put("settings", settings);
        return meta;
    }

    static void log(String format, Object... args) {
        System.err.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
    }

    // ---- scenarios -------------------------------------------------------------------------------------------

    private void broadcast(Target target) throws Exception {
        int subscribers = intEnv("BROADCAST_SUBSCRIBERS", 1000);
        Session session = open(target, subscribers, List.of(target.channel("bench-" + runId + "-bc")), false);
        try (Publisher publisher = new Publisher(target, session.channels, inFlight)) {
            warmUp(session, publisher);
            double highest = 0;
            boolean drained = true;
            for (double rate : ratesEnv("BROADCAST_RATES", "30 60")) {
                if (!drained) {
                    // The last step's events are still on their way: this one would measure that backlog.
                    notes.add(target.name() + ": broadcast at " + fmt(rate) + " events/s not run, the step before did not"
                            + " deliver everything within " + drainSeconds + " s");
                    break;
                }
                Map<String, Object> m = loadStep(session, publisher, rate, intEnv("BROADCAST_SECONDS", 30));
                rows.put("broadcast-" + fmt(rate), "broadcast: " + subscribers + " subscribers, 1 channel, "
                        + fmt(rate) + " events/s", target.name(), m);
                drained = Boolean.TRUE.equals(m.get("drained"));
                if (sustained(m)) {
                    highest = Math.max(highest, rate);
                }
            }
            List<Map<String, Object>> search = new ArrayList<>();
            boolean stillSustained = drained;
            for (double rate : ratesEnv("SEARCH_RATES", "120 240 480 960 1920 3840")) {
                if (!stillSustained) {
                    break;
                }
                Map<String, Object> m = loadStep(session, publisher, rate, intEnv("SEARCH_SECONDS", 10));
                m.put("sustained", sustained(m));
                search.add(m);
                if (sustained(m)) {
                    highest = rate;
                } else {
                    stillSustained = false;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("highestSustainedRate", highest);
            m.put("deliveredPerSecond", highest * subscribers);
            m.put("rule", "lost 0, refused 0, p99 <= " + intEnv("SEARCH_P99_MS", 1000)
                    + " ms, publisher at 95 % of the rate or more; steps of " + intEnv("SEARCH_SECONDS", 10) + " s");
            m.put("generatorSaturated", search.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("generatorSaturated"))));
            m.put("steps", search);
            rows.put("broadcast-max", "broadcast: highest rate sustained, " + subscribers + " subscribers (stepped search)",
                    target.name(), m);
        } finally {
            closeAll(false);
        }
    }

    private void channels(Target target) throws Exception {
        int subscribers = intEnv("CHANNELS_SUBSCRIBERS", 10_000);
        int count = intEnv("CHANNELS_COUNT", 10);
        double rate = Double.parseDouble(env("CHANNELS_RATE", "50"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(target.channel("bench-" + runId + "-ch" + i));
        }
        Session session = open(target, subscribers, names, false);
        try (Publisher publisher = new Publisher(target, names, inFlight)) {
            warmUp(session, publisher);
            Map<String, Object> m = loadStep(session, publisher, rate, intEnv("CHANNELS_SECONDS", 30));
            rows.put("channels", "many channels: " + subscribers + " subscribers over " + count + " channels, "
                    + fmt(rate) + " events/s in all", target.name(), m);
        } finally {
            closeAll(false);
        }
    }

    private void idle(Target target) throws Exception {
        int connections = intEnv("IDLE_CONNECTIONS", 15_000);
        int holdSeconds = intEnv("IDLE_SECONDS", 300);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < intEnv("IDLE_CHANNELS", 100); i++) {
            names.add(target.channel("bench-" + runId + "-idle" + i));
        }
        List<Long> server = target.processes().get("server");
        long rssBefore = ProcStats.rssKib(server);
        OptionalLong heapBefore = LiveHeap.bytes(server);
        long openStart = System.nanoTime();
        Session session = open(target, connections, names, false);
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        long rssOpen = ProcStats.rssKib(server);
        try {
            Sampler sampler = new Sampler(server);
            long ticks0 = ProcStats.cpuTicks(server);
            long holdStart = System.nanoTime();
            long holdEnd = holdStart + TimeUnit.SECONDS.toNanos(holdSeconds);
            while (System.nanoTime() < holdEnd) {
                TimeUnit.MILLISECONDS.sleep(Math.min(1000, Math.max(1, (holdEnd - System.nanoTime()) / 1_000_000)));
                session.refreshTokenIfOld();
            }
            double held = (System.nanoTime() - holdStart) / 1e9;
            long ticks1 = ProcStats.cpuTicks(server);
            long rssEnd = ProcStats.rssKib(server);
            List<double[]> samples = sampler.stop();
            OptionalLong heapEnd = heapBefore.isPresent() ? LiveHeap.bytes(server) : OptionalLong.empty();
            List<JsonNode> reports = reportAll(Map.of(), Map.of());
            long open = reports.stream().mapToLong(r -> r.path("open").asLong()).sum();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connections", connections);
            m.put("openFailures", session.openFailures);
            m.put("openSeconds", round(openSeconds));
            m.put("connectionsPerSecond", round(session.opened / openSeconds));
            m.put("heldSeconds", round(held));
            m.put("stillOpen", open);
            m.put("closedByServer", reports.stream().mapToLong(r -> r.path("closedByServer").asLong()).sum());
            m.put("closeCodes", mergeCounts(reports, "closeCodes"));
            m.put("serverRssBeforeMiB", round(rssBefore / 1024.0));
            m.put("serverRssOpenMiB", round(rssOpen / 1024.0));
            m.put("serverRssMiB", round(rssEnd / 1024.0));
            m.put("rssPerConnectionKiB", round((rssEnd - rssBefore) / (double) Math.max(1, session.opened)));
            if (heapBefore.isPresent() && heapEnd.isPresent()) {
                m.put("serverLiveHeapBeforeMiB", round(heapBefore.getAsLong() / 1048576.0));
                m.put("serverLiveHeapMiB", round(heapEnd.getAsLong() / 1048576.0));
                m.put("liveHeapPerConnectionKiB", round((heapEnd.getAsLong() - heapBefore.getAsLong()) / 1024.0
                        / Math.max(1, session.opened)));
            }
            m.put("serverCpuPercent", round(100 * Stats.coreShare(ticks1 - ticks0, held)));
            m.put("series", Map.of("cpu", samples));
            rows.put("idle", "idle connections: " + connections + " held " + holdSeconds + " s", target.name(), m);
        } finally {
            closeAll(false);
        }
    }

    private void resume(Target target) throws Exception {
        if (!target.supportsResume()) {
            log("   %s has no log positions to resume from: skipped", target.name());
            return;
        }
        int clients = intEnv("RESUME_CLIENTS", 1000);
        int warmup = intEnv("RESUME_WARMUP_EVENTS", 5);
        int missed = intEnv("RESUME_EVENTS", 100);
        double rate = Double.parseDouble(env("RESUME_PUBLISH_RATE", "500"));
        // After a gateway restart the clients coming back are many users, each under its own per-caller limits;
        // RESUME_CALLERS=1 shows one caller (a server-side subscriber on one key) resuming them all.
        int callers = intEnv("RESUME_CALLERS", 10);
        List<String> names = List.of(target.channel("bench-" + runId + "-rs"));
        Session session = open(target, clients, names, true, callers);
        try (Publisher publisher = new Publisher(target, names, inFlight)) {
            publisher.publish(50, warmup);
            waitDrained(session.expectedTotal(publisher), drainSeconds);
            for (GeneratorHandle g : generators) {
                g.send("CLOSE", Map.of("keep", true));
            }
            for (GeneratorHandle g : generators) {
                g.await("CLOSED", 60);
            }
            Publisher.Run run = publisher.publish(rate, missed);
            session.refreshTokenIfOld();
            List<Long> server = target.processes().get("server");
            Sampler sampler = new Sampler(server);
            long ticks0 = ProcStats.cpuTicks(server);
            long start = System.nanoTime();
            Map<String, Object> resumeBody = Map.of("expected", publisher.expected(),
                    "timeoutSeconds", intEnv("RESUME_TIMEOUT_SECONDS", 300));
            for (GeneratorHandle g : generators) {
                g.send("RESUME", resumeBody);
            }
            List<JsonNode> answers = new ArrayList<>();
            for (GeneratorHandle g : generators) {
                answers.add(g.await("CAUGHTUP", intEnv("RESUME_TIMEOUT_SECONDS", 300) + 60L));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long ticks1 = ProcStats.cpuTicks(server);
            List<double[]> samples = sampler.stop();
            List<JsonNode> reports = reportAll(publisher.expected(), publisher.refused());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clients", clients);
            m.put("callers", callers);
            m.put("eventsMissedWhileAway", missed);
            m.put("publishRefused", run.refused());
            m.put("allCaughtUp", answers.stream().allMatch(a -> a.path("complete").asBoolean()));
            m.put("caughtUpClients", answers.stream().mapToLong(a -> a.path("caughtUp").asLong()).sum());
            m.put("catchUpMs", Math.round(seconds * 1000));
            m.put("replayedEventsPerSecond", round(clients * (double) missed / seconds));
            m.put("rateLimitedRetries", answers.stream().mapToLong(a -> a.path("retries").asLong()).sum());
            m.put("lost", reports.stream().mapToLong(r -> r.path("lost").asLong()).sum());
            m.put("duplicates", reports.stream().mapToLong(r -> r.path("duplicates").asLong()).sum());
            m.put("subscribersWithLoss", reports.stream().mapToLong(r -> r.path("subscribersWithLoss").asLong()).sum());
            m.put("serverCpuPercent", round(100 * Stats.coreShare(ticks1 - ticks0, seconds)));
            m.put("serverRssMiB", round(ProcStats.rssKib(server) / 1024.0));
            m.put("errors", mergeCounts(reports, "errors"));
            m.put("series", Map.of("cpu", samples));
            rows.put("resume", "resume storm: " + clients + " clients of " + callers + " caller(s) reconnect at once, "
                    + missed + " events missed each", target.name(), m);
        } finally {
            closeAll(false);
        }
    }

    // ---- building blocks -------------------------------------------------------------------------------------

    /** Subscribers of one scenario, spread over the generators; subscriber g reads channel g % channels. */
    private final class Session {
        final Target target;
        final List<String> channels;
        final int subscribers;
        final int callers;
        long opened;
        long openFailures;
        List<String> tokens;
        long tokenAt;

        Session(Target target, List<String> channels, int subscribers, int callers) {
            this.target = target;
            this.channels = channels;
            this.subscribers = subscribers;
            this.callers = callers;
        }

        /** Every subscriber should get every accepted event of its channel. */
        long expectedTotal(Publisher publisher) {
            Map<String, Long> expected = publisher.expected();
            Map<String, List<Long>> refused = publisher.refused();
            long total = 0;
            for (int c = 0; c < channels.size(); c++) {
                long onChannel = subscribers / channels.size() + (c < subscribers % channels.size() ? 1 : 0);
                String channel = channels.get(c);
                total += onChannel * (expected.get(channel) - refused.get(channel).size());
            }
            return total;
        }

        /** Tokens live 5 minutes: refresh in-band (op auth) well before, as a real client does. */
        void refreshTokenIfOld() throws Exception {
            if (tokens.get(0) == null || System.nanoTime() - tokenAt < TimeUnit.SECONDS.toNanos(150)) {
                return;
            }
            tokens = target.tokens(callers);
            tokenAt = System.nanoTime();
            for (GeneratorHandle g : generators) {
                g.send("AUTH", Map.of("tokens", tokens));
            }
            for (GeneratorHandle g : generators) {
                g.await("AUTHED", 60);
            }
        }
    }

    private Session open(Target target, int subscribers, List<String> channels, boolean trackPositions) throws Exception {
        return open(target, subscribers, channels, trackPositions, 1);
    }

    /** Subscriber i connects as caller i % callers. */
    private Session open(Target target, int subscribers, List<String> channels, boolean trackPositions, int callers)
            throws Exception {
        Session session = new Session(target, channels, subscribers, callers);
        session.tokens = target.tokens(callers);
        session.tokenAt = System.nanoTime();
        int g = generators.size();
        int first = 0;
        for (int i = 0; i < g; i++) {
            int count = subscribers / g + (i < subscribers % g ? 1 : 0);
            int call = openCalls++;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", target.kind());
            body.put("url", target.subscribeUrl());
            body.put("tokens", session.tokens);
            // A fresh loopback source address per call: ports in TIME_WAIT from the last scenario never collide.
            body.put("sourceIp", "127.1." + (call / 250) + "." + (call % 250 + 1));
            body.put("channels", channels);
            body.put("count", count);
            body.put("firstIndex", first);
            body.put("concurrency", openConcurrency);
            body.put("trackPositions", trackPositions);
            body.put("timeoutSeconds", 600);
            generators.get(i).send("OPEN", body);
            first += count;
        }
        long started = System.nanoTime();
        for (GeneratorHandle generator : generators) {
            JsonNode opened = generator.await("OPENED", 700);
            session.opened += opened.path("ok").asLong();
            session.openFailures += opened.path("failed").asLong();
            if (opened.path("failed").asLong() > 0) {
                log("   open failures: %s", opened.path("failures"));
                notes.add(target.name() + ": " + opened.path("failed").asLong() + " subscribers failed to open: "
                        + opened.path("failures"));
            }
        }
        log("   %d of %d subscribers open on %d channel(s) in %.1f s", session.opened, subscribers, channels.size(),
                (System.nanoTime() - started) / 1e9);
        return session;
    }

    private Map<String, Object> loadStep(Session session, Publisher publisher, double rate, int seconds) throws Exception {
        session.refreshTokenIfOld();
        List<Long> server = session.target.processes().get("server");
        List<Long> pipeline = session.target.processes().values().stream().flatMap(List::stream).collect(Collectors.toList());
        List<JsonNode> before = reportAll(publisher.expected(), publisher.refused());
        long distinctBefore = before.stream().mapToLong(r -> r.path("distinct").asLong()).sum();
        long serverTicks0 = ProcStats.cpuTicks(server);
        long serverKernelTicks0 = ProcStats.kernelTicks(server);
        long serverPreemptions0 = ProcStats.preemptions(server);
        long pipelineTicks0 = ProcStats.cpuTicks(pipeline);
        Sampler sampler = new Sampler(server);
        long start = System.nanoTime();
        log("   %s: %s events/s for %d s", session.target.name(), fmt(rate), seconds);
        Publisher.Run run = publisher.publish(rate, Pacer.eventsFor(rate, seconds));
        long expectedTotal = session.expectedTotal(publisher);
        long published = System.nanoTime();
        Drain drain = waitDrained(expectedTotal, drainSeconds);
        double deliverySeconds = drain.endNanos() / 1e9 - start / 1e9;
        long end = System.nanoTime();
        double wall = (end - start) / 1e9;
        long serverTicks1 = ProcStats.cpuTicks(server);
        long serverKernelTicks1 = ProcStats.kernelTicks(server);
        long serverPreemptions1 = ProcStats.preemptions(server);
        long pipelineTicks1 = ProcStats.cpuTicks(pipeline);
        List<double[]> cpu = sampler.stop();
        List<JsonNode> after = reportAll(publisher.expected(), publisher.refused());

        LatencySeries latency = new LatencySeries();
        after.forEach(r -> latency.add(LatencySeries.decode(JSON.convertValue(r.path("latency"), Map.class))));
        long distinct = after.stream().mapToLong(r -> r.path("distinct").asLong()).sum() - distinctBefore;
        double generatorCpu = 0;
        long lagP99 = 0;
        for (int i = 0; i < after.size(); i++) {
            generatorCpu = Math.max(generatorCpu, Stats.coreShare(
                    after.get(i).path("cpuTicks").asLong() - before.get(i).path("cpuTicks").asLong(), wall));
            lagP99 = Math.max(lagP99, after.get(i).path("lagP99Micros").asLong());
        }
        long lateP99 = run.lateness().getValueAtPercentile(99);
        boolean publisherBehind = Stats.publisherBehind(lateP99, run.achievedRate(), rate);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscribers", session.subscribers);
        m.put("channels", session.channels.size());
        m.put("rate", rate);
        m.put("published", run.attempted());
        m.put("refused", run.refused());
        m.put("delivered", distinct);
        m.put("expected", expectedTotal - (distinctBefore));
        m.put("deliveredPerSecond", round(distinct / Math.max(deliverySeconds, run.seconds())));
        m.put("drained", drain.complete());
        m.put("drainMs", (drain.endNanos() - published) / 1_000_000);
        m.put("lost", after.stream().mapToLong(r -> r.path("lost").asLong()).sum());
        m.put("subscribersWithLoss", after.stream().mapToLong(r -> r.path("subscribersWithLoss").asLong()).sum());
        m.put("duplicates", after.stream().mapToLong(r -> r.path("duplicates").asLong()).sum()
                - before.stream().mapToLong(r -> r.path("duplicates").asLong()).sum());
        m.put("closedByServer", after.stream().mapToLong(r -> r.path("closedByServer").asLong()).sum());
        Map<String, Object> lat = Stats.latencyMs(latency.total());
        m.put("latencyP50Ms", lat.get("p50"));
        m.put("latencyP90Ms", lat.get("p90"));
        m.put("latencyP99Ms", lat.get("p99"));
        m.put("latencyMaxMs", lat.get("max"));
        m.put("publishAckP50Ms", Stats.ms(run.ack().getTotalCount() == 0 ? 0 : run.ack().getValueAtPercentile(50)));
        m.put("publishAckP99Ms", Stats.ms(run.ack().getTotalCount() == 0 ? 0 : run.ack().getValueAtPercentile(99)));
        m.put("serverCpuPercent", round(100 * Stats.coreShare(serverTicks1 - serverTicks0, wall)));
        m.put("serverKernelCpuPercent", round(100 * Stats.coreShare(serverKernelTicks1 - serverKernelTicks0, wall)));
        // Threads that ended during the step took their counts with them: never below zero.
        m.put("serverPreemptionsPerSecond", round(Math.max(0, serverPreemptions1 - serverPreemptions0) / wall));
        m.put("serverRssMiB", round(ProcStats.rssKib(server) / 1024.0));
        if (session.target.processes().size() > 1) {
            m.put("pipelineCpuPercent", round(100 * Stats.coreShare(pipelineTicks1 - pipelineTicks0, wall)));
        }
        m.put("generatorCpuPercent", round(100 * generatorCpu));
        m.put("generatorLagP99Ms", Stats.ms(lagP99));
        m.put("publisherLateP99Ms", Stats.ms(lateP99));
        m.put("publisherAchievedRate", round(run.achievedRate()));
        m.put("publisherBehind", publisherBehind);
        m.put("generatorSaturated", Stats.generatorSaturated(generatorCpu, lagP99) || publisherBehind);
        m.put("errors", mergeCounts(after, "errors"));
        m.put("series", series(latency, run.startEpochMicros(), cpu));
        log("   delivered %d of %d, lost %s, p50 %s ms, p99 %s ms, server cpu %s%%, generator cpu %s%%%s", distinct,
                expectedTotal - distinctBefore, m.get("lost"), m.get("latencyP50Ms"), m.get("latencyP99Ms"),
                m.get("serverCpuPercent"), m.get("generatorCpuPercent"),
                Boolean.TRUE.equals(m.get("generatorSaturated")) ? " (GENERATOR SATURATED)" : "");
        return m;
    }

    /**
     * Load first, not counted, the same for every target: JIT, connection pools and the servers' caches warm up.
     * First the publish path, at a high rate on a channel nobody subscribes to: a JVM compiles a method fully after
     * about ten thousand calls, and the publish path runs once per event (feed-service on the 2-core box: 5.1 ms per
     * publish cold, 3.2 ms after 1,000 publishes, 1.2 ms after 4,000). Then the scenario's own channels at a modest
     * rate, for the fan-out path, which runs once per delivery and so warms within seconds. nchan, compiled ahead of
     * time, gets the same load.
     */
    private void warmUp(Session session, Publisher publisher) throws Exception {
        int publishes = intEnv("WARMUP_PUBLISHES", 10_000);
        if (publishes > 0) {
            try (Publisher unheard = new Publisher(session.target, List.of(session.target.channel("bench-" + runId
                    + "-warm")), inFlight)) {
                unheard.publish(intEnv("WARMUP_PUBLISH_RATE", 500), publishes);
            }
        }
        int seconds = intEnv("WARMUP_SECONDS", 20);
        if (seconds > 0) {
            double rate = Math.max(intEnv("WARMUP_RATE", 30), session.channels.size());
            publisher.publish(rate, (long) (rate * seconds));
            waitDrained(session.expectedTotal(publisher), drainSeconds);
        }
    }

    /**
     * Sustained: nothing lost or refused, p99 within SEARCH_P99_MS, and the publisher reached its rate. Its lateness
     * alone does not fail a step: on a shared machine a p99 above 50 ms is often scheduling noise, and the
     * saturated flag reports it anyway.
     */
    private boolean sustained(Map<String, Object> m) {
        return Stats.sustained((Long) m.get("lost"), (Long) m.get("refused"), (Double) m.get("latencyP99Ms"),
                intEnv("SEARCH_P99_MS", 1000))
                && (Double) m.get("publisherAchievedRate") >= Stats.PUBLISHER_MIN_RATE_SHARE * (Double) m.get("rate");
    }

    /** Per second since the publish start: latency p50/p99 and events delivered; server CPU per sample. */
    private static Map<String, Object> series(LatencySeries latency, long startEpochMicros, List<double[]> cpu) {
        List<double[]> points = new ArrayList<>();
        long startSecond = Math.floorDiv(startEpochMicros, 1_000_000L);
        latency.perSecond().forEach((second, h) -> points.add(new double[] {second - startSecond,
                Stats.ms(h.getValueAtPercentile(50)), Stats.ms(h.getValueAtPercentile(99)), h.getTotalCount()}));
        Map<String, Object> out = new LinkedHashMap<>();
        // The seconds below count from this one: to line them up with a GC log or a profile of the server.
        out.put("startEpochSecond", startSecond);
        out.put("latency", points);
        List<double[]> cpuRelative = new ArrayList<>();
        cpu.forEach(p -> cpuRelative.add(new double[] {p[0] - startEpochMicros / 1e6, p[1], p[2]}));
        out.put("cpu", cpuRelative);
        return out;
    }

    /** When the wait for the last events ended (System.nanoTime) and whether every one had arrived. */
    record Drain(long endNanos, boolean complete) {
    }

    /** Waits until the generators got {@code expectedTotal} distinct events, or the drain time is up. */
    private Drain waitDrained(long expectedTotal, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long sum = 0;
            for (GeneratorHandle g : generators) {
                g.send("COUNT", Map.of());
            }
            for (GeneratorHandle g : generators) {
                sum += g.await("COUNT", 60).path("distinct").asLong();
            }
            long now = System.nanoTime();
            if (sum >= expectedTotal || now > deadline) {
                return new Drain(now, sum >= expectedTotal);
            }
            // The drain time is only as fine as this pause: at 100 ms, every server that missed the first count
            // read about 110 ms (docs/performance.md, run G).
            TimeUnit.MILLISECONDS.sleep(DRAIN_CHECK.toMillis());
        }
    }

    private List<JsonNode> reportAll(Map<String, Long> expected, Map<String, List<Long>> refused) throws Exception {
        Map<String, Object> body = Map.of("expected", expected, "refused", refused);
        for (GeneratorHandle g : generators) {
            g.send("REPORT", body);
        }
        List<JsonNode> reports = new ArrayList<>();
        for (GeneratorHandle g : generators) {
            reports.add(g.await("RESULT", 120));
        }
        return reports;
    }

    private void closeAll(boolean keep) throws Exception {
        for (GeneratorHandle g : generators) {
            g.send("CLOSE", Map.of("keep", keep));
        }
        for (GeneratorHandle g : generators) {
            g.await("CLOSED", 120);
        }
    }

    private static Map<String, Long> mergeCounts(List<JsonNode> reports, String field) {
        Map<String, Long> out = new LinkedHashMap<>();
        reports.forEach(r -> r.path(field).fields().forEachRemaining(e -> out.merge(e.getKey(), e.getValue().asLong(), Long::sum)));
        return out;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    /** Samples a server's CPU (share of one core, %) and RSS (MiB) once a second, on a thread of its own. */
    private static final class Sampler {
        private final List<double[]> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(List<Long> pids) {
            thread = new Thread(() -> {
                long lastTicks = ProcStats.cpuTicks(pids);
                long lastNanos = System.nanoTime();
                while (running) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long ticks = ProcStats.cpuTicks(pids);
                    long now = System.nanoTime();
                    synchronized (samples) {
                        samples.add(new double[] {MicroClock.nowMicros() / 1e6,
                                round(100 * Stats.coreShare(ticks - lastTicks, (now - lastNanos) / 1e9)),
                                round(ProcStats.rssKib(pids) / 1024.0)});
                    }
                    lastTicks = ticks;
                    lastNanos = now;
                }
            }, "server-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        List<double[]> stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5000);
            synchronized (samples) {
                return new ArrayList<>(samples);
            }
        }
    }

    /** The report's rows: one per scenario (and rate), with each target's metrics and, later, the ratios. */
    static final class Rows {
        private final Map<String, Map<String, Object>> rows = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        void put(String key, String title, String target, Map<String, Object> metrics) {
            Map<String, Object> row = rows.computeIfAbsent(key, k -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("key", k);
                r.put("title", title);
                r.put("targets", new LinkedHashMap<String, Object>());
                return r;
            });
            ((Map<String, Object>) row.get("targets")).put(target, metrics);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> toJson() {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> row : rows.values()) {
                Map<String, Object> targets = (Map<String, Object>) row.get("targets");
                row.put("ratios", ratios((Map<String, Object>) targets.get("platform"), (Map<String, Object>) targets.get("nchan")));
                out.add(row);
            }
            return out;
        }

        /** platform / nchan for every numeric metric both have. */
        static Map<String, Double> ratios(Map<String, Object> platform, Map<String, Object> nchan) {
            Map<String, Double> out = new LinkedHashMap<>();
            if (platform == null || nchan == null) {
                return out;
            }
            platform.forEach((name, value) -> {
                Object other = nchan.get(name);
                if (value instanceof Number p && other instanceof Number n && !(value instanceof Long && name.equals("subscribers"))) {
                    out.put(name, Stats.ratio(p.doubleValue(), n.doubleValue()));
                }
            });
            return out;
        }
    }
}
