package io.eventfeeds.gateway.transport;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.Executor;

/**
 * The write side of one WebSocket connection, as the fan-out needs it: pre-framed writes without a flush, one flush
 * per batch, and the backlog the socket could not take yet. {@link NettyFrameChannel} is the real one.
 */
public interface FrameChannel {

    /** The event loop that owns the connection; all writes happen there. */
    Executor eventLoop();

    /** True when the caller runs on {@link #eventLoop()}. */
    boolean inEventLoop();

    /** Writes a shared frame ({@link TextFrame#shared}) without flushing; on the event loop only. */
    void write(ByteBuf sharedFrame);

    /** Writes and flushes a frame of its own (a reply), from any thread; ordered after earlier writes. */
    void send(byte[] utf8);

    /** Flushes what {@link #write} queued; on the event loop only. */
    void flush();

    /** Bytes written or queued and not yet taken by the socket. Any thread. */
    long pendingBytes();

    /** Frames flushed and not yet taken by the socket. Any thread. */
    int pendingFrames();
}
