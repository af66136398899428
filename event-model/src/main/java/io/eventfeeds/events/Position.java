package io.eventfeeds.events;

import java.util.Optional;

/**
 * Where an event sits in the log: Kafka partition and offset, written as {@code "partition-offset"}.
 *
 * <p>Clients treat it as opaque. Because a channel is a record key, all its events are in one partition, so the
 * offset alone orders a channel's events; both services hand out and accept the same strings.
 */
public record Position(int partition, long offset) implements Comparable<Position> {

    public Position {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative");
        }
    }

    public static Optional<Position> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int dash = value.indexOf('-');
        if (dash <= 0 || dash == value.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(value.substring(0, dash));
            long offset = Long.parseLong(value.substring(dash + 1));
            if (partition < 0 || offset < 0) {
                return Optional.empty();
            }
            return Optional.of(new Position(partition, offset));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(Position other) {
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return partition + "-" + offset;
    }
}
