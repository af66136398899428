package io.eventfeeds.security.apikey;

/**
 * Keycloak could not be asked about an API key: connection refused, timeout, or an answer other than a refusal.
 * Deliberately not an {@code AuthenticationException}: Quarkus would turn that into a 401, telling a caller with a
 * good key that its key is bad. {@link IdentityProviderUnavailableResponse} answers 503 instead.
 */
public class IdentityProviderUnavailableException extends RuntimeException {

    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
