package io.eventfeeds.gateway.security;

/** An in-band token refresh was refused; {@link #code()} goes into the error frame. */
public class AuthRefusedException extends RuntimeException {

    private final String code;

    public AuthRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
