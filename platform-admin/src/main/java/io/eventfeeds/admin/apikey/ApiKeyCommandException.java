package io.eventfeeds.admin.apikey;

/** A failure the operator reads as one line: a wrong command line, or what Keycloak said no to. */
public class ApiKeyCommandException extends RuntimeException {

    public ApiKeyCommandException(String message) {
        super(message);
    }

    public ApiKeyCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
