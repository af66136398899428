package io.eventfeeds.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.impl.WebSocketInternal;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;

/**
 * The one place where the gateway goes below WebSockets Next, for speed. {@code sendText} re-encodes the same String
 * to UTF-8 for every connection, builds a Uni per frame and flushes every frame (a syscall each); fan-out to
 * thousands of connections needs one framed buffer shared by all, written without a flush, and one flush per
 * connection per batch. So this reaches the connection's Vert.x WebSocket once, when it opens, and writes to its
 * Netty context, exactly where Vert.x itself writes its frames: in order with Vert.x's own writes (pings, close),
 * through TLS when the connection has it.
 *
 * <p>WebSockets Next does not expose its Vert.x WebSocket; {@code WebSocketConnectionBase.webSocket()} is
 * package-private, so it is read by reflection (and Vert.x Web's wrapper around it unwrapped), once per connection. An upgrade of Quarkus that renames it fails
 * every connection's open, and every WebSocket test with it, not silently.
 */
public final class NettyFrameChannel implements FrameChannel {

    private static final Method WEB_SOCKET = webSocketAccessor();

    private final ChannelHandlerContext context;

    private NettyFrameChannel(ChannelHandlerContext context) {
        this.context = context;
    }

    /** The connection's channel; call it from the connection's own callbacks. */
    public static NettyFrameChannel of(WebSocketConnection connection) {
        try {
            return new NettyFrameChannel(unwrap(WEB_SOCKET.invoke(connection)).channelHandlerContext());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the Vert.x WebSocket of " + connection.getClass(), e);
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
        context.write(sharedFrame.duplicate(), context.voidPromise());
    }

    @Override
    public void send(byte[] utf8) {
        // From another thread Netty queues the write as a task of the event loop, behind what is already there.
        context.writeAndFlush(TextFrame.single(context.alloc(), utf8), context.voidPromise());
    }

    @Override
    public void flush() {
        context.flush();
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
