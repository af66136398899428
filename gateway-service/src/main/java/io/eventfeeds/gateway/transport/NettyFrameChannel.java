package io.eventfeeds.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.impl.WebSocketInternal;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The one place where the gateway goes below WebSockets Next, for speed. {@code sendText} re-encodes the same String
 * to UTF-8 for every connection, builds a Uni per frame and flushes every frame (a syscall each); fan-out to
 * thousands of connections needs one framed buffer shared by all, written without a flush, and one flush per
 * connection per batch. So this reaches the connection's Vert.x WebSocket once, when it opens, and writes to its
 * Netty context, in order with Vert.x's own writes (pings, close), through TLS when the connection has it.
 *
 * <p>A shared frame is already a complete WebSocket frame, so it is written below the handlers that only pass it
 * on (Vert.x's idle-state handler, the WebSocket encoder and extension handler), to go on to TLS or the socket. In
 * a profile of 10,000 connections over 10 channels, writes and flushes took two thirds of the gateway's samples,
 * most of it walking each connection's pipeline, and the idle-state handler turned every void promise into a new
 * promise with a listener. Skipping them loses nothing. The idle-state handler's timer is kept going by what does
 * take the full pipeline: the pings ({@code quarkus.websockets-next.server.auto-ping-interval}, 25 s) and the
 * client's pongs, and a client that stops answering is closed by {@code SilentConnections} long before the HTTP
 * idle timeout. None of the skipped handlers holds writes back, so every write still reaches the socket in the
 * order it was made.
 *
 * <p>WebSockets Next does not expose its Vert.x WebSocket; {@code WebSocketConnectionBase.webSocket()} is
 * package-private, so it is read by reflection (and Vert.x Web's wrapper around it unwrapped), once per connection.
 * An upgrade of Quarkus that renames it fails every connection's open, and every WebSocket test with it, not
 * silently.
 */
public final class NettyFrameChannel implements FrameChannel {

    private static final Method WEB_SOCKET = webSocketAccessor();
    /** The name Netty's server handshaker gives the WebSocket frame decoder it puts in the pipeline. */
    static final String FRAME_DECODER = "wsdecoder";
    private static final String UTF8_VALIDATOR = "eventfeeds-utf8-validator";
    private static final String CLOSE_ON_CORRUPT_FRAME = "eventfeeds-close-on-corrupt-frame";
    private static final String CLOSE_SENT = "eventfeeds-close-sent";

    /** Vert.x's context: replies and anything else that needs the full pipeline. */
    private final ChannelHandlerContext context;
    /** Where shared frames are written and flushed from: see {@link #frameWriter}. */
    private final ChannelHandlerContext frames;
    /** The connection's one close watcher, shared by every channel made for it. */
    private final CloseSentWatch closeWatch;

    NettyFrameChannel(ChannelHandlerContext context) {
        this.context = context;
        CloseSentWatch existing = context.pipeline().get(CloseSentWatch.class);
        if (existing == null) {
            existing = new CloseSentWatch();
            context.pipeline().addBefore(context.name(), CLOSE_SENT, existing);
        }
        this.closeWatch = existing;
        this.frames = frameWriter(context);
    }

    /**
     * The context to write shared frames from: below the run of pass-through handlers directly under Vert.x's own
     * (inbound-only ones, the idle-state handler, the WebSocket frame encoder and extension handler), so that the
     * frame goes on to the first handler that may act on it (TLS, traffic shaping) or to the socket. A handler not
     * known to pass frames on unchanged ends the run.
     */
    static ChannelHandlerContext frameWriter(ChannelHandlerContext vertx) {
        ChannelPipeline pipeline = vertx.pipeline();
        List<String> names = pipeline.names();
        ChannelHandlerContext writer = vertx;
        for (int i = names.indexOf(vertx.name()) - 1; i >= 0; i--) {
            ChannelHandlerContext below = pipeline.context(names.get(i));
            if (below == null || !passesFramesOn(below.handler())) {
                break;
            }
            writer = below;
        }
        return writer;
    }

    private static boolean passesFramesOn(ChannelHandler handler) {
        return !(handler instanceof ChannelOutboundHandler)
                || handler instanceof CloseSentWatch
                || handler instanceof IdleStateHandler
                || handler instanceof WebSocketFrameEncoder
                || handler instanceof WebSocketServerExtensionHandler;
    }

    /** The connection's channel; call it from the connection's own callbacks (on its event loop). */
    public static NettyFrameChannel of(WebSocketConnection connection) {
        ChannelHandlerContext context;
        try {
            context = unwrap(WEB_SOCKET.invoke(connection)).channelHandlerContext();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the Vert.x WebSocket of " + connection.getClass(), e);
        }
        closeOnCorruptFrames(context.pipeline());
        RequestHeadDeadline.stopFor(context.pipeline());
        return new NettyFrameChannel(context);
    }

    /**
     * Makes frames RFC 6455 says fail the connection close it with their status, as the RFC asks. Vert.x builds
     * Netty's frame decoder not to close on a protocol violation (a frame over the size limit: the connection just
     * drops, 1006) and without the UTF-8 validator that Netty's own protocol handler adds (invalid UTF-8 is decoded
     * with replacement characters and answered). So Netty's validator goes right after the frame decoder, and after
     * it one handler that turns either refusal into its close frame (1009, 1007), sent through the whole pipeline:
     * the validator's own close frame would be written above the frame encoder and never reach the socket, and
     * Vert.x would close with 1000.
     */
    static void closeOnCorruptFrames(ChannelPipeline pipeline) {
        if (pipeline.get(FRAME_DECODER) != null && pipeline.get(UTF8_VALIDATOR) == null) {
            pipeline.addAfter(FRAME_DECODER, UTF8_VALIDATOR, new Utf8FrameValidator(false));
            pipeline.addAfter(UTF8_VALIDATOR, CLOSE_ON_CORRUPT_FRAME, CloseOnCorruptFrame.INSTANCE);
        }
    }

    /** Closes with the status of a frame the decoder or the validator refused, the close frame sent first. */
    @ChannelHandler.Sharable
    private static final class CloseOnCorruptFrame extends ChannelInboundHandlerAdapter {
        static final CloseOnCorruptFrame INSTANCE = new CloseOnCorruptFrame();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException invalid) {
                if (ctx.channel().isActive()) {
                    ctx.channel().writeAndFlush(new CloseWebSocketFrame(invalid.closeStatus()))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    /**
     * Sees every frame written through the full pipeline, Vert.x's close among them, and after that close drops the
     * data frames that still come (replies to frames the client sent meanwhile, a reply queued from another thread).
     * Shared frames are written below it and check its flag themselves. One per connection, however many
     * channels are made for it, so that each of them sees the close.
     */
    private static final class CloseSentWatch extends ChannelOutboundHandlerAdapter {
        /**
         * Set when the connection's close frame went out (the gateway's own close, a 4401, a 1001, ...). RFC 6455
         * allows no data frame after it, so none is written from then on. Read and written on the event loop only.
         */
        private boolean closeSent;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof CloseWebSocketFrame) {
                closeSent = true;
            } else if (closeSent && isData(msg)) {
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
            ctx.write(msg, promise);
        }

        private boolean isData(Object msg) {
            // A plain buffer here is one of ours (TextFrame): Vert.x writes WebSocket frame objects.
            return msg instanceof ByteBuf || msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                    || msg instanceof ContinuationWebSocketFrame;
        }
    }

    /** Vert.x Web hands out its WebSocket wrapped (ServerWebSocketWrapper), the real one in a field "delegate". */
    private static WebSocketInternal unwrap(Object webSocket) throws ReflectiveOperationException {
        Object current = webSocket;
        for (int depth = 0; depth < 4 && !(current instanceof WebSocketInternal); depth++) {
            Field delegate = current.getClass().getDeclaredField("delegate");
            delegate.setAccessible(true);
            current = delegate.get(current);
        }
        return (WebSocketInternal) current;
    }

    @Override
    public Executor eventLoop() {
        return context.executor();
    }

    @Override
    public boolean inEventLoop() {
        return context.executor().inEventLoop();
    }

    @Override
    public void write(ByteBuf sharedFrame) {
        if (!closeWatch.closeSent) {
            frames.write(sharedFrame.duplicate(), frames.voidPromise());
        }
    }

    @Override
    public void send(byte[] utf8) {
        // From another thread Netty queues the write as a task of the event loop, behind what is already there.
        context.writeAndFlush(TextFrame.single(context.alloc(), utf8), context.voidPromise());
    }

    @Override
    public void flush() {
        frames.flush();
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buffer = context.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public int pendingFrames() {
        ChannelOutboundBuffer buffer = context.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.size();
    }

    private static Method webSocketAccessor() {
        try {
            Method method = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase", false,
                    WebSocketConnection.class.getClassLoader())
                    .getDeclaredMethod("webSocket");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
