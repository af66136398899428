package io.eventfeeds.feed.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The events of one page, oldest first, held to at most {@code maxEvents} events and {@code maxBytes} bytes of
 * their JSON. One event larger than {@code maxBytes} still makes a page on its own when it would be the only one,
 * or it could never be read.
 */
final class PageEvents {

    private final int maxEvents;
    private final long maxBytes;
    private final boolean oversizeAlone;
    private final Deque<Sized> events = new ArrayDeque<>();
    private long bytes;
    private boolean trimmed;

    PageEvents(int maxEvents, long maxBytes) {
        this(maxEvents, maxBytes, true);
    }

    private PageEvents(int maxEvents, long maxBytes, boolean oversizeAlone) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.oversizeAlone = oversizeAlone;
    }

    /** Adds a newer event at the end if it fits; false when it does not (it is not added). */
    boolean append(ObjectNode event, long size) {
        if (events.size() >= maxEvents || !fits(size)) {
            return false;
        }
        add(event, size);
        return true;
    }

    /** True once no further event can be appended. */
    boolean full() {
        return events.size() >= maxEvents;
    }

    /**
     * Adds a newer event at the end and drops the oldest ones until the page is within its limits again: how a
     * backwards read keeps the newest events without holding more than one page of them.
     */
    void appendKeepingNewest(ObjectNode event, long size) {
        add(event, size);
        while (!events.isEmpty() && (events.size() > maxEvents
                || bytes > maxBytes && !(oversizeAlone && events.size() == 1))) {
            bytes -= events.removeFirst().size();
            trimmed = true;
        }
    }

    /** True when {@link #appendKeepingNewest} dropped an event: older events would not have fit either. */
    boolean trimmed() {
        return trimmed;
    }

    /** An empty page for the events just before this page's: it has the room this page has left. */
    PageEvents roomBefore() {
        return new PageEvents(maxEvents - events.size(), events.isEmpty() ? maxBytes : maxBytes - bytes,
                events.isEmpty());
    }

    /** Puts {@code older}, made by {@link #roomBefore}, in front of this page's events. */
    void prepend(PageEvents older) {
        older.events.descendingIterator().forEachRemaining(events::addFirst);
        bytes += older.bytes;
    }

    int size() {
        return events.size();
    }

    List<ObjectNode> events() {
        List<ObjectNode> list = new ArrayList<>(events.size());
        events.forEach(sized -> list.add(sized.event()));
        return list;
    }

    private boolean fits(long size) {
        return bytes + size <= maxBytes || events.isEmpty() && oversizeAlone;
    }

    private void add(ObjectNode event, long size) {
        events.addLast(new Sized(event, size));
        bytes += size;
    }

    private record Sized(ObjectNode event, long size) {
    }
}
