package io.eventfeeds.eventlog;

/**
 * The event is not in the log and never will be: it was refused while Kafka is away, or the producer did not take it
 * within the hand-over and it was abandoned. A retry is safe: it writes the event once.
 */
public final class EventNotWrittenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EventNotWrittenException(String message, Throwable cause) {
        super(message, cause);
    }
}
