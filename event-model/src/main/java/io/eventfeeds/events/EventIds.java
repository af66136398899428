package io.eventfeeds.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids. An event published with an idempotency key gets an id derived from its publisher and the key, a
 * name-based UUID (version 3), so that every copy of it in the log (a retry after a lost acknowledgement, after a
 * restart, through another instance) carries the same id and the gateway can deliver it once. Every other event
 * gets a random UUID (version 4), which no two events share.
 */
public final class EventIds {

    private static final int NAME_BASED = 3;

    /** Longest idempotency key a publisher may send, in characters (REST and WebSocket alike). */
    public static final int MAX_KEY_LENGTH = 255;

    private EventIds() {
    }

    public static String random() {
        return UUID.randomUUID().toString();
    }

    /** The id of a keyed event: the same for the same subject and key, never the same for two subjects. */
    public static String keyed(String subject, String idempotencyKey) {
        return UUID.nameUUIDFromBytes((subject + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** True for an id made by {@link #keyed}: only such ids can repeat in the log. */
    public static boolean isKeyed(String id) {
        // The version digit first: the fan-out asks this of every event, and random ids (most of them) stop here.
        if (id == null || id.length() != 36 || id.charAt(14) != '0' + NAME_BASED) {
            return false;
        }
        try {
            return UUID.fromString(id).version() == NAME_BASED;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
