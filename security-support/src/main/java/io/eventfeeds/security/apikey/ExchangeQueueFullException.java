package io.eventfeeds.security.apikey;

/**
 * Too many API-key exchanges are already pending to take one more: the key could not be checked now, as in an
 * outage, so the caller gets the same 503 with Retry-After, at once instead of after a wait in an endless queue.
 */
public class ExchangeQueueFullException extends IdentityProviderUnavailableException {

    public ExchangeQueueFullException(String message) {
        super(message, null);
    }
}
