package io.eventfeeds.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * A complete WebSocket text frame on the wire (RFC 6455 section 5.2): FIN, opcode 1, the unmasked length and the
 * UTF-8 payload. A server's frames are never masked, so the bytes are the same for every connection: an event is
 * framed once and the same buffer is written to each of its recipients. Netty's WebSocket encoder lets a plain
 * {@link ByteBuf} through unchanged, so nothing is re-encoded per connection.
 */
public final class TextFrame {

    private TextFrame() {
    }

    /**
     * A frame shared by many connections: direct memory owned by the garbage collector (a JDK direct buffer), and
     * unreleasable, so that each write may hand Netty a {@link ByteBuf#duplicate()} without reference counting
     * across event loops. A frame held by a subscription during a replay simply stays reachable.
     */
    public static ByteBuf shared(byte[] utf8) {
        ByteBuffer memory = ByteBuffer.allocateDirect(headerLength(utf8.length) + utf8.length);
        ByteBuf frame = Unpooled.wrappedBuffer(memory).clear();
        writeHeader(frame, utf8.length);
        frame.writeBytes(utf8);
        return Unpooled.unreleasableBuffer(frame);
    }

    /** A frame written once (a reply): pooled, released by Netty once written. */
    public static ByteBuf single(ByteBufAllocator allocator, byte[] utf8) {
        ByteBuf frame = allocator.directBuffer(headerLength(utf8.length) + utf8.length);
        writeHeader(frame, utf8.length);
        return frame.writeBytes(utf8);
    }

    /** The payload of a frame made here: what a client receives as the message. */
    public static byte[] payload(ByteBuf frame) {
        int length = frame.readableBytes();
        byte second = frame.getByte(frame.readerIndex() + 1);
        int header = switch (second & 0x7f) {
            case 126 -> 4;
            case 127 -> 10;
            default -> 2;
        };
        byte[] payload = new byte[length - header];
        frame.getBytes(frame.readerIndex() + header, payload);
        return payload;
    }

    static int headerLength(int payloadLength) {
        if (payloadLength < 126) {
            return 2;
        }
        return payloadLength <= 0xffff ? 4 : 10;
    }

    private static void writeHeader(ByteBuf frame, int payloadLength) {
        frame.writeByte(0x81);
        if (payloadLength < 126) {
            frame.writeByte(payloadLength);
        } else if (payloadLength <= 0xffff) {
            frame.writeByte(126);
            frame.writeShort(payloadLength);
        } else {
            frame.writeByte(127);
            frame.writeLong(payloadLength);
        }
    }
}
