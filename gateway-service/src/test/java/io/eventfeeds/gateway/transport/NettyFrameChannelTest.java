package io.eventfeeds.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shared frames skip the handlers that only pass them on, stop at any other, and reach the socket in order with what
 * Vert.x writes through the whole pipeline. The pipeline here is the one Vert.x builds for a WebSocket, with a
 * recording handler where TLS or traffic shaping would be.
 */
class NettyFrameChannelTest {

    /** Records what passes it on the way to the socket; it stands for a handler that acts on every write. */
    static final class Recorder extends ChannelOutboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            seen.add(msg instanceof ByteBuf buf ? "bytes:" + buf.readableBytes() : msg.getClass().getSimpleName());
            ctx.write(msg, promise);
        }
    }

    /** Stands for Vert.x's own handler at the top of the pipeline. */
    static final class VertxStandIn extends ChannelDuplexHandler {
    }

    private static EmbeddedChannel webSocketPipeline(ChannelHandler belowTheRest, ChannelHandler... inBetween) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("below", belowTheRest);
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS));
        channel.pipeline().addLast("wsencoder", new WebSocket13FrameEncoder(false));
        channel.pipeline().addLast("wsdecoder", new ChannelInboundHandlerAdapter());
        for (int i = 0; i < inBetween.length; i++) {
            channel.pipeline().addLast("between" + i, inBetween[i]);
        }
        channel.pipeline().addLast("extensions",
                new WebSocketServerExtensionHandler(new PerMessageDeflateServerExtensionHandshaker()));
        channel.pipeline().addLast("handler", new VertxStandIn());
        return channel;
    }

    private static ByteBuf shared(String text) {
        return TextFrame.shared(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sharedFramesAreWrittenFromBelowThePassThroughHandlers() {
        EmbeddedChannel channel = webSocketPipeline(new Recorder());

        assertThat(NettyFrameChannel.frameWriter(channel.pipeline().context("handler")).name()).isEqualTo("idle");
    }

    @Test
    void aHandlerNotKnownToPassFramesOnIsNotSkipped() {
        Recorder shaping = new Recorder();
        EmbeddedChannel channel = webSocketPipeline(new Recorder(), shaping);
        NettyFrameChannel frames = new NettyFrameChannel(channel.pipeline().context("handler"));

        frames.write(shared("{\"a\":1}"));
        frames.flush();

        assertThat(NettyFrameChannel.frameWriter(channel.pipeline().context("handler")).name())
                .as("the extension handler is skipped, the unknown one under it is not").isEqualTo("extensions");
        assertThat(shaping.seen).containsExactly("bytes:9");
        ((ByteBuf) channel.readOutbound()).release();
    }

    @Test
    void framesAndVertxsOwnWritesReachTheSocketInTheOrderTheyWereMade() {
        Recorder socketSide = new Recorder();
        EmbeddedChannel channel = webSocketPipeline(socketSide);
        ChannelHandlerContext vertx = channel.pipeline().context("handler");
        NettyFrameChannel frames = new NettyFrameChannel(vertx);

        frames.write(shared("first"));
        vertx.write(new TextWebSocketFrame("second"));
        frames.write(shared("third"));
        frames.flush();
        vertx.flush();

        List<String> payloads = new ArrayList<>();
        for (ByteBuf out; (out = channel.readOutbound()) != null;) {
            // Unmasked server frames of under 126 bytes: two header bytes, then the text.
            payloads.add(out.toString(2, out.readableBytes() - 2, StandardCharsets.UTF_8));
            out.release();
        }
        assertThat(payloads).containsExactly("first", "second", "third");
        assertThat(socketSide.seen).hasSize(3);
    }

    @Test
    void withNothingBelowThePassThroughHandlersFramesGoStraightToTheSocket() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS));
        channel.pipeline().addLast("wsencoder", new WebSocket13FrameEncoder(false));
        channel.pipeline().addLast("handler", new VertxStandIn());
        NettyFrameChannel frames = new NettyFrameChannel(channel.pipeline().context("handler"));

        frames.write(shared("x"));
        frames.flush();

        ByteBuf out = channel.readOutbound();
        assertThat(out.toString(2, 1, StandardCharsets.UTF_8)).isEqualTo("x");
        out.release();
        assertThat(frames.pendingBytes()).isZero();
    }

    /** RFC 6455, 5.5.1: after sending a close frame, an endpoint sends no further data frame. */
    @Test
    void afterTheCloseFrameNoDataFrameGoesOut() {
        Recorder socketSide = new Recorder();
        EmbeddedChannel channel = webSocketPipeline(socketSide);
        ChannelHandlerContext vertx = channel.pipeline().context("handler");
        NettyFrameChannel frames = new NettyFrameChannel(vertx);

        frames.write(shared("before"));
        frames.flush();
        vertx.writeAndFlush(new CloseWebSocketFrame(4401, "token expired"));
        frames.write(shared("event"));
        frames.flush();
        frames.send("{\"type\":\"error\"}".getBytes(StandardCharsets.UTF_8));
        vertx.writeAndFlush(new TextWebSocketFrame("vertx"));
        channel.runPendingTasks();

        assertThat(socketSide.seen).as("what reached the socket's side").hasSize(2);
        List<Integer> opcodes = new ArrayList<>();
        for (ByteBuf out; (out = channel.readOutbound()) != null;) {
            opcodes.add(out.getByte(0) & 0x0f);
            out.release();
        }
        assertThat(opcodes).as("a text frame, then the close frame, and nothing after it").containsExactly(0x1, 0x8);
    }

    @Test
    void aSecondChannelMadeForTheSameConnectionAlsoWritesNothingAfterTheClose() {
        Recorder socketSide = new Recorder();
        EmbeddedChannel channel = webSocketPipeline(socketSide);
        ChannelHandlerContext vertx = channel.pipeline().context("handler");
        NettyFrameChannel first = new NettyFrameChannel(vertx);
        NettyFrameChannel second = new NettyFrameChannel(vertx);

        vertx.writeAndFlush(new CloseWebSocketFrame(1001, "going away"));
        first.write(shared("one"));
        second.write(shared("two"));
        first.flush();
        second.flush();
        channel.runPendingTasks();

        assertThat(socketSide.seen).as("only the close frame reached the socket's side").hasSize(1);
        for (ByteBuf out; (out = channel.readOutbound()) != null;) {
            out.release();
        }
    }
}
