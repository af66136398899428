package io.eventfeeds.gateway.publish;

/**
 * The caller used the publish's {@code idempotency_key} for another event (channel, type or data) within the
 * window: the first event's answer would be a lie about this one, and writing it would give two events one id.
 */
public final class IdempotencyKeyReusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    IdempotencyKeyReusedException() {
        super("this idempotency_key was used for a different event within the idempotency window", null, false,
                false);
    }
}
