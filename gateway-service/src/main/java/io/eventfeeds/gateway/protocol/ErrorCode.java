package io.eventfeeds.gateway.protocol;

/** The stable {@code code} values of error frames (docs/protocol.md). Clients switch on these, never on messages. */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNKNOWN_OP("unknown_op"),
    FORBIDDEN("forbidden"),
    UNKNOWN_CHANNEL("unknown_channel"),
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions"),
    RATE_LIMITED("rate_limited"),
    POSITION_EXPIRED("position_expired"),
    NOT_READY("not_ready"),
    /** The event was not written and never will be: a retry writes it once. */
    EVENT_LOG_UNAVAILABLE("event_log_unavailable"),
    /** Kafka's producer took the event but Kafka did not confirm it: retry with the same idempotency key. */
    EVENT_OUTCOME_UNKNOWN("event_outcome_unknown"),
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused"),
    UNAUTHORIZED("unauthorized");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
