package io.eventfeeds.eventlog;

/**
 * Who publishes an event, as its envelope needs it.
 *
 * @param subject the caller's stable identifier (a token's {@code sub}): a keyed event's id derives from it, so that
 *                two callers' equal keys never name the same event
 * @param name    the caller's principal name, written to the envelope's {@code publisher} field
 */
public record Publisher(String subject, String name) {
}
