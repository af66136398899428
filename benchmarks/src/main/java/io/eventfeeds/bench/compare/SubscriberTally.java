package io.eventfeeds.bench.compare;

import java.util.BitSet;

/**
 * What one subscriber received of its channel's events, by sequence number: every distinct event, duplicates and
 * events that came after a later one. Events may be reordered (the publisher has several POSTs in flight), so
 * losses are counted against the number of accepted events, never by gaps in the sequence.
 */
public final class SubscriberTally {

    private final BitSet seen = new BitSet();
    private long distinct;
    private long duplicates;
    private long reordered;
    private long maxSeq = -1;

    /** Counts one received event; returns false if it was a duplicate. */
    public boolean onEvent(long seq) {
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence number out of range: " + seq);
        }
        if (seen.get((int) seq)) {
            duplicates++;
            return false;
        }
        seen.set((int) seq);
        distinct++;
        if (seq < maxSeq) {
            reordered++;
        }
        maxSeq = Math.max(maxSeq, seq);
        return true;
    }

    /** Events of {@code 0..expected-1} this subscriber never got (events the publisher had refused are not in it). */
    public long lost(long expected, BitSet refused) {
        long got = seen.get(0, (int) Math.min(expected, Integer.MAX_VALUE)).cardinality();
        long notPublished = refused == null ? 0 : refused.get(0, (int) expected).cardinality();
        return Math.max(0, expected - notPublished - got);
    }

    public long distinct() {
        return distinct;
    }

    public long duplicates() {
        return duplicates;
    }

    public long reordered() {
        return reordered;
    }
}
