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
    PUBLISH_FAILED("publish_failed"),
    UNAUTHORIZED("unauthorized");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
