package io.eventfeeds.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every limit of the gateway, in one place (docs/protocol.md lists them with their keys). */
@ConfigMapping(prefix = "feeds.gateway")
public interface GatewayConfig {

    /** Channels one connection may be subscribed to at once. */
    @WithDefault("100")
    int maxSubscriptions();

    /**
     * Open connections one caller (an API key, or a token's client and subject) may hold on this instance; a
     * handshake beyond it is refused with 429. A token may carry a higher or lower cap of its own in the
     * {@code max_connections} claim ({@code ./platform api-key create ... --max-connections N}), for server-side
     * subscribers and load tests.
     */
    @WithDefault("50")
    int maxConnectionsPerCaller();

    ClientFrames clientFrames();

    RepeatedEvents repeatedEvents();

    Outbound outbound();

    Resume resume();

    Publish publish();

    /**
     * A connection from which nothing arrived for this long (no frame, no pong to the server's pings, which
     * {@code quarkus.websockets-next.server.auto-ping-interval} sends) is closed with 4009: its client is gone or
     * stuck, and a half-open TCP connection would otherwise hold its subscriptions forever. Keep it a few ping
     * intervals long.
     */
    @WithDefault("75S")
    Duration idleTimeout();

    /**
     * A connection must finish sending a request head (a WebSocket handshake, or any HTTP request) this soon after
     * it was accepted, or after the first byte of its next request; otherwise it is closed (RequestHeadDeadline).
     * Long enough for a slow mobile link and a TLS handshake; short enough that connections sending a byte at a
     * time cannot pile up.
     */
    @WithDefault("10S")
    Duration handshakeTimeout();

    /**
     * How long shutdown waits for connections to close after telling them to go (1001). No default here: its value
     * is in application.properties, where deploy-tests' ManifestChecks reads it.
     */
    Duration shutdownGrace();

    /**
     * Every frame a client sends (text, ping or pong) costs one unit of its connection's budget, which refills at
     * {@code per-second} and holds at most {@code burst}. A frame beyond the budget is dropped unread (the first of
     * an episode is answered with {@code rate_limited}); when the dropped frames exceed a second budget of the same
     * size (a client sending at more than twice the rate for a while) the connection is closed with 1008. A
     * reconnecting client resubscribing to all its channels at once stays well inside the burst.
     */
    interface ClientFrames {
        @WithDefault("100")
        int perSecond();

        @WithDefault("200")
        int burst();
    }

    /**
     * A keyed event (published with an idempotency key) that shows up again on its channel within {@code window} is
     * not delivered again. As long as publishers may retry with the same key: feed-service and the gateway remember keys
     * for {@code feeds.publish.idempotency.window} and {@code feeds.gateway.publish.idempotency-window}, 10 minutes by
     * default.
     */
    interface RepeatedEvents {
        @WithDefault("10M")
        Duration window();

        /** Most keyed ids remembered (about 150 bytes each); the oldest are forgotten first. */
        @WithDefault("200000")
        long maxIds();
    }

    /** Each connection's bounded outbound queue: frames handed to the socket and not yet written. */
    interface Outbound {
        /** Above this many unwritten frames the client is too slow and is disconnected (close code 4008). */
        @WithDefault("1000")
        int maxFrames();

        /** Above this many unwritten characters (about bytes) the client is too slow as well. */
        @WithDefault("4194304")
        long maxBytes();

        /**
         * Above this many unwritten characters across all connections, the connections furthest behind (above
         * the average backlog) are disconnected as too slow (4008), so slow clients cannot exhaust memory together.
         */
        @WithDefault("134217728")
        long totalMaxBytes();
    }

    /** Resume from a position: replay from Kafka, then switch to live events. */
    interface Resume {
        /** Live events held per subscription while its replay runs; above it the client is dropped as slow. */
        @WithDefault("10000")
        int maxBufferedEvents();

        /** Replays that read Kafka at the same time; more wait their turn. */
        @WithDefault("8")
        int maxConcurrent();

        /**
         * Replay threads one caller's replays may hold at once, of {@code max-concurrent}; its other replays wait
         * while everyone's take turns. A caller whose replays are slow or stuck (clients that do not read) cannot
         * take every thread from the others.
         */
        @WithDefault("2")
        int maxConcurrentPerCaller();

        /**
         * Records of the partition one turn of a replay reads before other work gets the thread (about a second of
         * reading on a small machine). Also how far from the log's end a replay may start and still be read together
         * with others' replays of its partition: a shared read starts at its earliest replay, so one far start would
         * make all the others wait; further back, a replay reads alone, a slice per turn.
         */
        @WithDefault("5000")
        int sliceRecords();

        /**
         * Replays one connection may have waiting or running at once; a subscribe with {@code since} beyond it is
         * refused with {@code rate_limited}. As many as its subscriptions, so a reconnecting client can resume all
         * of its channels at once.
         */
        @WithDefault("100")
        int maxPendingPerConnection();

        /**
         * Replays of one caller's connections together waiting or running at once; beyond it, {@code rate_limited}.
         * Twice a connection's own bound, so that one user can resume on two connections at once but cannot take
         * the gateway's whole {@code max-pending} from everyone else.
         */
        @WithDefault("200")
        int maxPendingPerCaller();

        /** Replays of all connections together waiting or running at once; beyond it, {@code rate_limited}. */
        @WithDefault("2000")
        int maxPending();

        /**
         * How far back one replay may start, in records of the channel's partition before the log's end. A resume
         * from further back gets {@code position_expired} and replays from the oldest position allowed, which the
         * error and the {@code subscribed} frame name; it bounds how long one replay holds a replay thread.
         */
        @WithDefault("1000000")
        long maxRecordsBack();

        /** How long a replay may wait for a slow client's queue to drain before dropping it. */
        @WithDefault("30S")
        Duration drainTimeout();
    }

    /**
     * Client publishes (op {@code publish}): how long the answer waits, and what is remembered, so that an error
     * frame tells whether the event was written (docs/protocol.md). The same timings as feed-service's
     * {@code feeds.publish.*}, and for the same reasons: the producer takes an event within milliseconds unless the
     * broker is away.
     */
    interface Publish {
        /**
         * How long an event may wait for Kafka's producer to take it; one not taken by then is abandoned, never
         * written, and answered {@code event_log_unavailable}.
         */
        @WithDefault("1S")
        Duration handOverTimeout();

        /**
         * How long the answer waits for Kafka's acknowledgement of an event the producer took, before
         * {@code event_outcome_unknown}. Slightly longer than the producer's {@code delivery.timeout.ms} (10 s),
         * which normally answers first.
         */
        @WithDefault("12S")
        Duration ackTimeout();

        /** While Kafka is away, publishes are refused at once, except one per this interval, which tries it. */
        @WithDefault("1S")
        Duration outageProbeInterval();

        /** The {@code retry_after} (seconds) an error frame of a publish that was not written or is in doubt names. */
        @WithDefault("5S")
        Duration retryAfter();

        /**
         * How long a publish is remembered under its caller and {@code idempotency_key}: a retry within it gets the
         * first answer (or waits for Kafka's answer to the first). As long as feed-service remembers keys.
         */
        @WithDefault("10M")
        Duration idempotencyWindow();

        /** Most remembered keys (all callers together); the oldest are forgotten first. */
        @WithDefault("100000")
        long idempotencyMaxKeys();
    }
}
