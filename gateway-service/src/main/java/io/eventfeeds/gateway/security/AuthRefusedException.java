package io.eventfeeds.gateway.security;

import io.eventfeeds.gateway.protocol.ErrorCode;

/**
 * An in-band {@code {"op":"auth"}} the gateway did not accept. The code goes into the error frame:
 * {@link ErrorCode#UNAUTHORIZED} (the token is not valid) or {@link ErrorCode#FORBIDDEN} (valid, but for another
 * subject).
 */
public class AuthRefusedException extends RuntimeException {

    private final ErrorCode code;

    public AuthRefusedException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
