package io.eventfeeds.gateway.transport;

import io.eventfeeds.gateway.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Closes a connection that does not finish sending a request head within {@code feeds.gateway.handshake-timeout}:
 * counted from its accept, and for a kept-alive connection from the first byte of its next request. Neither Vert.x
 * nor Quarkus has such a deadline (their idle timeouts are reset by every byte), so a client sending one byte a
 * second, or half a handshake and then nothing, would hold a file descriptor for as long as it likes; a few thousand
 * of them use up the 20,000 that every WebSocket shares (slowloris). A WebSocket, once upgraded, is not timed.
 *
 * <p>This is the one place the gateway reaches into Vert.x's server internals: Quarkus offers no hook on a new
 * connection before its request is parsed, so a handler is put in front of the server socket's acceptor, and it
 * starts a {@link HeadClock} in each accepted connection's pipeline. A route filter, which runs once a request head
 * was parsed, stops the clock; the request's end restarts it for the next request, waiting for that one's first
 * byte. Everything a clock does happens on its connection's event loop, so it needs no lock.
 */
@ApplicationScoped
public class RequestHeadDeadline {

    private static final Logger LOG = Logger.getLogger(RequestHeadDeadline.class);
    private static final String ACCEPTOR_HOOK = "eventfeeds-head-deadline-acceptor";
    private static final String CLOCK = "eventfeeds-head-clock";
    /** Vert.x keeps the listening channel of a server only in this field (Vert.x 4.5's TCPServerBase). */
    private static final Field BIND_FUTURE = bindFutureField();
    /** First of all filters: a request that reached any filter has its head. */
    private static final int PRIORITY = Integer.MAX_VALUE;

    private final Vertx vertx;
    private final long timeoutNanos;
    private final Counter closed;

    public RequestHeadDeadline(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.timeoutNanos = config.handshakeTimeout().toNanos();
        this.closed = Counter.builder("feeds.gateway.connections.closed.head.timeout")
                .description("Connections closed because their request head did not arrive within "
                        + "feeds.gateway.handshake-timeout")
                .register(registry);
    }

    void onHttp(@ObservesAsync HttpServerStart started) {
        installOnListeningServers();
    }

    void onHttps(@ObservesAsync HttpsServerStart started) {
        installOnListeningServers();
    }

    void installFilter(@Observes Filters filters) {
        filters.register(this::requestHeadArrived, PRIORITY);
    }

    /** On every server this Vert.x listens with (the public ports and the management port); idempotent. */
    void installOnListeningServers() {
        int listeningServers = 0;
        for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            Channel listening = listeningChannel(server);
            if (listening != null) {
                listeningServers++;
                listening.eventLoop().execute(() -> {
                    if (listening.pipeline().get(ACCEPTOR_HOOK) == null) {
                        listening.pipeline().addFirst(ACCEPTOR_HOOK, new AcceptorHook());
                        LOG.debugf("request-head deadline on %s", listening.localAddress());
                    }
                });
            }
        }
        if (listeningServers == 0) {
            LOG.warn("found no listening Vert.x server: connections are not held to feeds.gateway.handshake-timeout");
        }
    }

    /** The connection was upgraded to a WebSocket: from now on it is timed by the WebSocket's own idle timeout. */
    public static void stopFor(ChannelPipeline pipeline) {
        if (pipeline.get(CLOCK) != null) {
            pipeline.remove(CLOCK);
        }
    }

    private void requestHeadArrived(RoutingContext context) {
        HeadClock clock = context.request().connection() instanceof ConnectionBase connection
                ? (HeadClock) connection.channel().pipeline().get(CLOCK) : null;
        if (clock != null) {
            clock.onEventLoop(clock::requestStarted);
            context.addEndHandler(ignored -> clock.onEventLoop(clock::requestEnded));
        }
        context.next();
    }

    private static Channel listeningChannel(HttpServerImpl server) {
        try {
            Future<?> bound = (Future<?>) BIND_FUTURE.get(server);
            return bound != null && bound.result() instanceof Channel channel ? channel : null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the listening channel of a Vert.x server", e);
        }
    }

    private static Field bindFutureField() {
        try {
            Field field = TCPServerBase.class.getDeclaredField("bindFuture");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Vert.x's TCPServerBase has no bindFuture any more: the request-head "
                    + "deadline (RequestHeadDeadline) must find the listening channel another way", e);
        }
    }

    /** In the listening channel's pipeline: each message there is a newly accepted connection. */
    private final class AcceptorHook extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object accepted) {
            if (accepted instanceof Channel connection) {
                connection.pipeline().addFirst(CLOCK, new HeadClock());
            }
            ctx.fireChannelRead(accepted);
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    /**
     * First in a connection's pipeline. Runs while a request head is awaited: from the accept, and again from the
     * first byte after a request ended. Stopped while a request is being served, and for good once it is a WebSocket.
     */
    private final class HeadClock extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext context;
        private ScheduledFuture<?> deadline;
        private int inFlight;
        private boolean awaitingFirstByte;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // Netty calls this once the accepted channel is registered with its event loop.
            context = ctx;
            start();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (awaitingFirstByte) {
                awaitingFirstByte = false;
                start();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            stop();
        }

        void onEventLoop(Runnable action) {
            if (context.executor().inEventLoop()) {
                action.run();
            } else {
                context.executor().execute(action);
            }
        }

        void requestStarted() {
            inFlight++;
            awaitingFirstByte = false;
            stop();
        }

        void requestEnded() {
            if (inFlight > 0 && --inFlight == 0 && !context.isRemoved()) {
                awaitingFirstByte = true;
            }
        }

        private void start() {
            if (deadline == null && inFlight == 0) {
                deadline = context.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void stop() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void expire() {
            deadline = null;
            boolean webSocket = context.pipeline().get(NettyFrameChannel.FRAME_DECODER) != null;
            if (inFlight == 0 && !webSocket && !context.isRemoved() && context.channel().isActive()) {
                closed.increment();
                LOG.debugf("closed %s: no complete request head within %d ms", context.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                context.close();
            }
        }
    }
}
