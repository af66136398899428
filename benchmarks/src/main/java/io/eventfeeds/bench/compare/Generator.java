package io.eventfeeds.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * One load-generator process: its own event loop (epoll when available) and its own WebSocket connections, driven
 * by one-line commands on stdin and answering one line on stdout ({@code NAME {json}}). It never parses a frame:
 * {@link FrameScanner} finds the sequence number and the publisher's timestamp in the bytes.
 *
 * <p>Commands: {@code OPEN} (connect and subscribe), {@code COUNT}, {@code REPORT} (counts against what was
 * published, latencies since the last report), {@code AUTH} (in-band token refresh), {@code CLOSE},
 * {@code RESUME} (reconnect all at once with {@code since}, answer when every one caught up), {@code EXIT}.
 * Everything that touches connections or counters runs on the one event loop, so nothing needs a lock.
 */
public final class Generator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MICROS = 20_000;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelType;
    private final List<Sub> subs = new ArrayList<>();
    private final LatencySeries latency = new LatencySeries();
    private final Histogram lag = new Histogram(LatencySeries.HIGHEST_MICROS, 2);
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> closeCodes = new TreeMap<>();
    private long frames;
    private long closedByServer;
    private long lastTickNanos;
    private Batch batch;

    private String kind;
    /** Subscriber i connects with tokens[i % size]: one per caller. */
    private List<String> tokens = new ArrayList<>();
    private String sourceIp;
    private boolean trackPositions;

    private Generator() {
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        loop = group.next();
        loop.scheduleAtFixedRate(this::tick, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
    }

    public static void main(String[] args) throws Exception {
        Generator generator = new Generator();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            int space = line.indexOf(' ');
            String command = space < 0 ? line : line.substring(0, space);
            JsonNode body = space < 0 ? JSON.createObjectNode() : JSON.readTree(line.substring(space + 1));
            if (command.equals("EXIT")) {
                break;
            }
            try {
                generator.handle(command, body);
            } catch (Exception e) {
                reply("FAILED", Map.of("message", String.valueOf(e)));
            }
        }
        generator.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static synchronized void reply(String name, Object body) {
        try {
            System.out.println(name + " " + JSON.writeValueAsString(body));
            System.out.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(String command, JsonNode body) throws Exception {
        switch (command) {
            case "OPEN" -> reply("OPENED", open(body));
            case "COUNT" -> reply("COUNT", onLoop(() -> Map.of("distinct", subs.stream().mapToLong(s -> s.tally.distinct()).sum())));
            case "REPORT" -> reply("RESULT", onLoop(() -> report(body)));
            case "AUTH" -> reply("AUTHED", onLoop(() -> auth(tokensOf(body))));
            case "CLOSE" -> reply("CLOSED", close(body.path("keep").asBoolean(false)));
            case "RESUME" -> reply("CAUGHTUP", resume(body));
            default -> reply("FAILED", Map.of("message", "unknown command " + command));
        }
    }

    private <T> T onLoop(Callable<T> work) throws Exception {
        return loop.submit(work).get(60, TimeUnit.SECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        if (lastTickNanos != 0) {
            lag.recordValue(Math.max(0, Math.min(LatencySeries.HIGHEST_MICROS, (now - lastTickNanos) / 1000 - TICK_MICROS)));
        }
        lastTickNanos = now;
    }

    // ---- OPEN ------------------------------------------------------------------------------------------------

    private Map<String, Object> open(JsonNode body) throws Exception {
        kind = body.path("kind").asText();
        tokens = tokensOf(body);
        sourceIp = body.path("sourceIp").asText("127.0.0.1");
        trackPositions = body.path("trackPositions").asBoolean(false);
        String template = body.path("url").asText();
        List<String> channels = new ArrayList<>();
        body.path("channels").forEach(c -> channels.add(c.asText()));
        int count = body.path("count").asInt();
        int first = body.path("firstIndex").asInt();
        List<Sub> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String channel = channels.get((first + i) % channels.size());
            opened.add(new Sub(channel, URI.create(template.replace("{channel}", channel)),
                    (first + i) % tokens.size()));
        }
        long started = System.nanoTime();
        Batch done = onLoop(() -> {
            subs.addAll(opened);
            batch = new Batch(opened, body.path("concurrency").asInt(256), null);
            batch.startMore();
            return batch;
        });
        done.finished.get(body.path("timeoutSeconds").asLong(300), TimeUnit.SECONDS);
        return onLoop(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", done.ok);
            out.put("failed", done.failed);
            out.put("millis", (System.nanoTime() - started) / 1_000_000);
            out.put("failures", done.failures);
            return out;
        });
    }

    /** Connections being opened (or reopened for a resume), at most {@code concurrency} handshakes at a time. */
    private final class Batch {
        final ArrayDeque<Sub> waiting;
        final int concurrency;
        final Map<String, Long> since;
        final Map<String, Long> failures = new TreeMap<>();
        final CompletableFuture<Batch> finished = new CompletableFuture<>();
        final int total;
        int inFlight;
        int ok;
        int failed;

        Batch(List<Sub> members, int concurrency, Map<String, Long> since) {
            this.waiting = new ArrayDeque<>(members);
            this.total = members.size();
            this.concurrency = concurrency <= 0 ? Integer.MAX_VALUE : concurrency;
            this.since = since;
            if (total == 0) {
                finished.complete(this);
            }
        }

        void startMore() {
            while (inFlight < concurrency && !waiting.isEmpty()) {
                Sub sub = waiting.poll();
                inFlight++;
                sub.batch = this;
                connect(sub);
            }
        }

        void done(Sub sub, String failure) {
            inFlight--;
            if (failure == null) {
                ok++;
            } else {
                failed++;
                failures.merge(failure, 1L, Long::sum);
            }
            if (ok + failed == total) {
                finished.complete(this);
            } else {
                startMore();
            }
        }
    }

    private void connect(Sub sub) {
        HttpHeaders headers = new DefaultHttpHeaders();
        String token = tokens.get(sub.caller);
        if (token != null && !token.isEmpty()) {
            headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(sub.uri)
                .customHeaders(headers)
                .handleCloseFrames(false)
                .generateOriginHeader(false)
                .handshakeTimeoutMillis(60_000)
                .maxFramePayloadLength(1 << 20)
                .build();
        Connection handler = new Connection(sub);
        ChannelFuture connecting = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(1 << 20), handler);
                    }
                })
                .connect(new InetSocketAddress(sub.uri.getHost(), sub.uri.getPort()), new InetSocketAddress(sourceIp, 0));
        sub.channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                sub.ready("connect: " + f.cause().getClass().getSimpleName() + ": " + f.cause().getMessage());
            }
        });
    }

    private void subscribe(Sub sub, String since) {
        String frame = "{\"op\":\"subscribe\",\"channel\":\"" + sub.channel() + "\""
                + (since == null ? "" : ",\"since\":\"" + since + "\"") + "}";
        sub.channel.writeAndFlush(new TextWebSocketFrame(frame));
    }

    /** One subscriber; it outlives its connections, so a resume keeps what it received before. */
    private final class Sub {
        final String channelName;
        final URI uri;
        final int caller;
        final SubscriberTally tally = new SubscriberTally();
        Channel channel;
        String lastPosition;
        Batch batch;
        boolean readyReported;
        boolean closing;
        long catchUpTarget = -1;
        boolean caughtUp;

        Sub(String channelName, URI uri, int caller) {
            this.channelName = channelName;
            this.uri = uri;
            this.caller = caller;
        }

        String channel() {
            return channelName;
        }

        /** The subscription answered (failure null) or failed; reported to the batch once per connection. */
        void ready(String failure) {
            if (readyReported) {
                return;
            }
            readyReported = true;
            if (failure != null && channel != null) {
                closing = true;
                channel.close();
            }
            if (batch != null) {
                batch.done(this, failure);
            }
        }
    }

    /** The pipeline's last handler: one per connection. */
    private final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Sub sub;

        Connection(Sub sub) {
            this.sub = sub;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                if ("platform".equals(kind)) {
                    subscribe(sub, sub.batch != null && sub.batch.since != null ? sub.lastPosition : null);
                } else {
                    sub.ready(null);
                }
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                sub.ready("handshake timeout");
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame) {
                onText(sub, frame.content());
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCodes.merge(Integer.toString(close.statusCode()), 1L, Long::sum);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!sub.closing) {
                if (sub.readyReported) {
                    closedByServer++;
                } else {
                    sub.ready("closed before subscribed");
                }
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.merge(cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage()), 1L, Long::sum);
            sub.ready("error: " + cause.getClass().getSimpleName());
            ctx.close();
        }
    }

    private void onText(Sub sub, ByteBuf content) {
        frames++;
        long seq = FrameScanner.longAfter(content, FrameScanner.SEQ);
        if (seq != FrameScanner.MISSING) {
            long sent = FrameScanner.longAfter(content, FrameScanner.SENT_MICROS);
            long now = MicroClock.nowMicros();
            if (sub.tally.onEvent(seq) && sent != FrameScanner.MISSING) {
                latency.record(now, now - sent);
            }
            if (trackPositions) {
                String position = FrameScanner.stringAfter(content, FrameScanner.POSITION);
                if (position != null) {
                    sub.lastPosition = position;
                }
            }
            if (!sub.caughtUp && sub.catchUpTarget >= 0 && sub.tally.distinct() >= sub.catchUpTarget) {
                sub.caughtUp = true;
                if (resumeWaiting != null) {
                    resumeWaiting.caughtUp();
                }
            }
            return;
        }
        if (FrameScanner.contains(content, FrameScanner.SUBSCRIBED)) {
            if (trackPositions && sub.lastPosition == null) {
                sub.lastPosition = FrameScanner.stringAfter(content, FrameScanner.POSITION);
            }
            sub.ready(null);
        } else if (FrameScanner.contains(content, FrameScanner.ERROR)) {
            if (sub.catchUpTarget >= 0 && FrameScanner.contains(content, FrameScanner.RATE_LIMITED)) {
                // Too many replays pending at the gateway: ask again shortly, as a real client would.
                resumeRetries++;
                Channel channel = sub.channel;
                loop.schedule(() -> {
                    if (channel.isActive()) {
                        subscribe(sub, sub.lastPosition);
                    }
                }, 200, TimeUnit.MILLISECONDS);
                return;
            }
            String code = FrameScanner.stringAfter(content, FrameScanner.ascii("\"code\":\""));
            errors.merge("error frame: " + code, 1L, Long::sum);
            if (!sub.readyReported) {
                sub.ready("error frame: " + code);
            }
        }
    }

    // ---- REPORT, AUTH, CLOSE ---------------------------------------------------------------------------------

    private Map<String, Object> report(JsonNode body) {
        Map<String, Long> expected = new HashMap<>();
        body.path("expected").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
        Map<String, BitSet> refused = new HashMap<>();
        body.path("refused").fields().forEachRemaining(e -> {
            BitSet bits = new BitSet();
            e.getValue().forEach(seq -> bits.set(seq.asInt()));
            refused.put(e.getKey(), bits);
        });
        long lost = 0;
        long subscribersWithLoss = 0;
        long duplicates = 0;
        long reordered = 0;
        long open = 0;
        long distinct = 0;
        for (Sub sub : subs) {
            long missing = sub.tally.lost(expected.getOrDefault(sub.channelName, 0L), refused.get(sub.channelName));
            lost += missing;
            subscribersWithLoss += missing > 0 ? 1 : 0;
            duplicates += sub.tally.duplicates();
            reordered += sub.tally.reordered();
            distinct += sub.tally.distinct();
            open += sub.channel != null && sub.channel.isActive() ? 1 : 0;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subscribers", subs.size());
        out.put("open", open);
        out.put("distinct", distinct);
        out.put("lost", lost);
        out.put("subscribersWithLoss", subscribersWithLoss);
        out.put("duplicates", duplicates);
        out.put("reordered", reordered);
        out.put("frames", frames);
        out.put("closedByServer", closedByServer);
        out.put("closeCodes", new TreeMap<>(closeCodes));
        out.put("errors", new TreeMap<>(errors));
        out.put("resumeRetries", resumeRetries);
        out.put("lagP99Micros", lag.getTotalCount() == 0 ? 0 : lag.getValueAtPercentile(99));
        out.put("lagMaxMicros", lag.getMaxValue());
        out.put("cpuTicks", ProcStats.selfCpuTicks());
        out.put("latency", latency.encode());
        latency.reset();
        lag.reset();
        return out;
    }

    private Map<String, Object> auth(List<String> newTokens) {
        tokens = newTokens;
        long sent = 0;
        for (Sub sub : subs) {
            if (sub.channel != null && sub.channel.isActive()) {
                String frame = "{\"op\":\"auth\",\"token\":\"" + tokens.get(sub.caller) + "\"}";
                sub.channel.writeAndFlush(new TextWebSocketFrame(frame));
                sent++;
            }
        }
        return Map.of("sent", sent);
    }

    private static List<String> tokensOf(JsonNode body) {
        List<String> tokens = new ArrayList<>();
        body.path("tokens").forEach(t -> tokens.add(t.isNull() ? null : t.asText()));
        if (tokens.isEmpty()) {
            tokens.add(null);
        }
        return tokens;
    }

    /** Closes every connection; unless {@code keep} (a resume follows), forgets the subscribers and counters too. */
    private Map<String, Object> close(boolean keep) throws Exception {
        List<ChannelFuture> closing = onLoop(() -> {
            List<ChannelFuture> futures = new ArrayList<>();
            for (Sub sub : subs) {
                sub.closing = true;
                if (sub.channel != null) {
                    futures.add(sub.channel.close());
                }
            }
            return futures;
        });
        for (ChannelFuture future : closing) {
            future.await(10, TimeUnit.SECONDS);
        }
        if (!keep) {
            onLoop(() -> {
                subs.clear();
                errors.clear();
                closeCodes.clear();
                frames = 0;
                closedByServer = 0;
                resumeRetries = 0;
                latency.reset();
                return null;
            });
        }
        return Map.of("closed", closing.size());
    }

    // ---- RESUME ----------------------------------------------------------------------------------------------

    private long resumeRetries;
    private ResumeWait resumeWaiting;

    private final class ResumeWait {
        final CompletableFuture<Void> all = new CompletableFuture<>();
        final int total;
        int caught;

        ResumeWait(int total) {
            this.total = total;
            if (total == 0) {
                all.complete(null);
            }
        }

        void caughtUp() {
            if (++caught == total) {
                all.complete(null);
            }
        }
    }

    private Map<String, Object> resume(JsonNode body) throws Exception {
        Map<String, Long> expected = new HashMap<>();
        body.path("expected").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
        long started = System.nanoTime();
        ResumeWait wait = onLoop(() -> {
            resumeWaiting = new ResumeWait(subs.size());
            List<Sub> all = new ArrayList<>(subs);
            for (Sub sub : all) {
                sub.closing = false;
                sub.readyReported = false;
                sub.caughtUp = false;
                sub.catchUpTarget = expected.getOrDefault(sub.channelName, 0L);
                if (sub.tally.distinct() >= sub.catchUpTarget) {
                    sub.caughtUp = true;
                    resumeWaiting.caughtUp();
                }
            }
            batch = new Batch(all, 0, Map.of());
            batch.startMore();
            return resumeWaiting;
        });
        boolean caughtUp;
        try {
            wait.all.get(body.path("timeoutSeconds").asLong(120), TimeUnit.SECONDS);
            caughtUp = true;
        } catch (TimeoutException e) {
            caughtUp = false;
        }
        boolean complete = caughtUp;
        long millis = (System.nanoTime() - started) / 1_000_000;
        return onLoop(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("complete", complete);
            out.put("millis", millis);
            out.put("caughtUp", wait.caught);
            out.put("of", wait.total);
            out.put("reconnected", batch.ok);
            out.put("reconnectFailures", batch.failures);
            out.put("retries", resumeRetries);
            return out;
        });
    }
}
