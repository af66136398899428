package io.eventfeeds.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.bench.TokenRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A server under test: how to publish to it, how to subscribe, and which processes are the server. */
public abstract class Target {

    protected static final ObjectMapper JSON = new ObjectMapper();

    private final String name;

    protected Target(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The generator's kind: "platform" subscribes with a frame after the handshake, "nchan" by the URL alone. */
    public abstract String kind();

    /** The subscriber URL, with {@code {channel}} where the channel goes. */
    public abstract String subscribeUrl();

    public abstract String channel(String base);

    public abstract HttpRequest publish(String channel, long seq, long sentMicros);

    /** A fresh access token for the subscribers, or null. */
    public abstract String token() throws Exception;

    /**
     * Fresh tokens of {@code callers} different identities, for subscribers that must not all count as one caller
     * against the server's per-caller limits; one caller is {@link #token()}.
     */
    public List<String> tokens(int callers) throws Exception {
        if (callers > 1) {
            throw new IllegalArgumentException(name + " has no identities to spread " + callers + " callers over");
        }
        return Collections.singletonList(token());
    }

    /** Named groups of pids; "server" is the one the report's server CPU and RSS come from. */
    public abstract Map<String, List<Long>> processes();

    public boolean supportsResume() {
        return false;
    }

    /** The event data the publisher embeds: sequence number and send time in epoch microseconds. */
    public static String eventData(long seq, long sentMicros) {
        return "{\"bench_seq\":" + seq + ",\"bench_t\":" + sentMicros + "}";
    }

    /** nginx with the nchan module (benchmarks/nchan/nginx.conf): POST /pub/CHANNEL, WebSocket /sub/CHANNEL. */
    public static final class Nchan extends Target {
        private final String base;
        private final long masterPid;

        public Nchan(int port, long masterPid) {
            super("nchan");
            this.base = "127.0.0.1:" + port;
            this.masterPid = masterPid;
        }

        @Override
        public String kind() {
            return "nchan";
        }

        @Override
        public String subscribeUrl() {
            return "ws://" + base + "/sub/{channel}";
        }

        @Override
        public String channel(String base) {
            return base;
        }

        @Override
        public HttpRequest publish(String channel, long seq, long sentMicros) {
            return HttpRequest.newBuilder(URI.create("http://" + base + "/pub/" + channel))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(eventData(seq, sentMicros))).build();
        }

        @Override
        public String token() {
            return null;
        }

        @Override
        public Map<String, List<Long>> processes() {
            Map<String, List<Long>> out = new LinkedHashMap<>();
            out.put("server", ProcStats.withChildren(masterPid));
            return out;
        }
    }

    /** The platform that ./platform up started: feed-service REST in, gateway WebSocket out. */
    public static final class Platform extends Target {
        private final String gateway;
        private final String feed;
        private final String keycloak;
        private final String apiKey;
        private final List<String> callerKeys;
        private final Path runDir;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        /** {@code callerKeys}: API keys of other identities, for {@link #tokens(int)}; may be empty. */
        public Platform(String gateway, String feed, String keycloak, String apiKey, List<String> callerKeys,
                Path runDir) {
            super("platform");
            this.gateway = gateway;
            this.feed = feed;
            this.keycloak = keycloak;
            this.apiKey = apiKey;
            this.callerKeys = List.copyOf(callerKeys);
            this.runDir = runDir;
        }

        @Override
        public String kind() {
            return "platform";
        }

        @Override
        public String subscribeUrl() {
            return gateway;
        }

        @Override
        public String channel(String base) {
            return "scores:" + base;
        }

        @Override
        public HttpRequest publish(String channel, long seq, long sentMicros) {
            return HttpRequest.newBuilder(URI.create(feed + "/api/v1/channels/" + channel + "/events"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"bench\",\"data\":" + eventData(seq, sentMicros) + "}"))
                    .build();
        }

        /**
         * A token of the benchmark's own API key, whose {@code max_connections} claim lets it hold every subscriber's
         * connection (a demo user may hold only the gateway's default cap). A key is {@code efk_} + base64url of
         * {@code client id:secret} (docs/security.md), exchanged by the client-credentials grant as the services do.
         */
        @Override
        public String token() throws Exception {
            return tokenOf(apiKey);
        }

        /** One token of each of the first {@code callers} caller keys that run-compare made (RESUME_CALLERS). */
        @Override
        public List<String> tokens(int callers) throws Exception {
            if (callers <= 1) {
                return List.of(token());
            }
            if (callerKeys.size() < callers) {
                throw new IllegalArgumentException(callers + " callers need as many API keys in RESUME_API_KEYS, not "
                        + callerKeys.size() + " (benchmarks/run-compare makes them)");
            }
            List<String> tokens = new ArrayList<>();
            for (String key : callerKeys.subList(0, callers)) {
                tokens.add(tokenOf(key));
            }
            return tokens;
        }

        private String tokenOf(String key) throws Exception {
            String pair = new String(Base64.getUrlDecoder().decode(key.substring("efk_".length())),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String form = "grant_type=client_credentials&client_id="
                    + URLEncoder.encode(pair.substring(0, colon), StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(pair.substring(colon + 1), StandardCharsets.UTF_8);
            return TokenRequest.accessToken(http, keycloak, form);
        }

        @Override
        public Map<String, List<Long>> processes() {
            Map<String, List<Long>> out = new LinkedHashMap<>();
            out.put("server", List.of(pid("gateway")));
            out.put("feed", List.of(pid("feed")));
            out.put("kafka", List.of(pid("kafka")));
            return out;
        }

        private long pid(String component) {
            try {
                return Long.parseLong(Files.readString(runDir.resolve(component + ".pid")).trim().split("\\s+")[0]);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("no pid for " + component + " in " + runDir + ": is the platform up?", e);
            }
        }

        @Override
        public boolean supportsResume() {
            return true;
        }
    }
}
