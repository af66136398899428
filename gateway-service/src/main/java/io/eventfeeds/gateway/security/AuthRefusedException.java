package io.eventfeeds.gateway.security;

/**
 * An in-band {@code {"op":"auth"}} the gateway did not accept. The code goes into the error frame:
 * {@code unauthorized} (the token is not valid) or {@code forbidden} (valid, but for another subject).
 */
public class AuthRefusedException extends RuntimeException {

    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";

    private final String code;

    public AuthRefusedException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
