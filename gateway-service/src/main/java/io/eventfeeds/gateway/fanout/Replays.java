package io.eventfeeds.gateway.fanout;

import java.util.function.Consumer;

/**
 * Replays of what a resuming client missed, read from the Kafka log ({@code gateway.resume} implements it). The
 * fan-out only asks for them, so it does not depend on how they are read.
 */
public interface Replays {

    /**
     * Takes a replay slot for the connection, before its new subscription replaces anything; false when it or the
     * gateway has too many replays pending, and the subscribe is refused. {@link #replay} gives the slot back.
     */
    boolean reserve(Recipient recipient);

    /**
     * Replays events after {@code since} up to {@code liveAfter} (the last offset live delivery had reached on the
     * subscription's shard when it was registered, or {@link PartitionProgress#UNKNOWN}), then hands the held live
     * events over. {@code abandon} ends the subscription if the replay cannot complete. Needs a slot taken with
     * {@link #reserve}.
     */
    void replay(Subscription subscription, long since, long liveAfter, String ref, Consumer<Subscription> abandon);
}
