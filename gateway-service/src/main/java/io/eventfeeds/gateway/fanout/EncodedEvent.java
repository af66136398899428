package io.eventfeeds.gateway.fanout;

import io.netty.buffer.ByteBuf;

/**
 * One record of the event topic, ready to send: its frame is encoded and framed once ({@code TextFrame.shared}) and
 * written as is to every recipient. {@code frame} is null for a record that is no event; it still moves its
 * partition's progress on. {@code id} is the event's own id, for telling repeats of a keyed event.
 */
public record EncodedEvent(String channel, int partition, long offset, ByteBuf frame, String id) {

    public EncodedEvent(String channel, int partition, long offset, ByteBuf frame) {
        this(channel, partition, offset, frame, null);
    }
}
