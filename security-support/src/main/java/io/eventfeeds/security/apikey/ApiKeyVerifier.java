package io.eventfeeds.security.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.eventfeeds.apikey.ApiKey;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Turns an API key into the identity of its Keycloak client, asking Keycloak as little as possible: validated keys
 * are trusted for {@code feeds.api-keys.cache-ttl} (never past their token's expiry), keys Keycloak refused are
 * refused for {@code feeds.api-keys.refused-cache-ttl}, and concurrent first uses of one key share one exchange.
 * Every cache is keyed by the key's digest, never by the key.
 *
 * <p>A key in use is checked again in the background once three quarters of its trust have passed, while its callers
 * go on with the identity already known: without that, every request of a busy key waited for Keycloak once per
 * {@code cache-ttl}, and a publisher's events published in those milliseconds reached every subscriber that much
 * later (the worst second of 15 of 37 many-channels benchmark runs, docs/performance.md run J). A refusal ends the
 * trust at once; a failed background check leaves it to run out, so a revoked key still stops working within
 * {@code cache-ttl} of its last successful check.
 *
 * <p>Outcomes: the identity; an AuthenticationFailedException (401) when Keycloak refused the key; an
 * IdentityProviderUnavailableException (503) when Keycloak could not be asked. An outage is never remembered as a
 * refusal, so the key works again as soon as Keycloak does.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);

    private final ApiKeyExchange exchange;
    private final TenantIdentityProvider tokens;
    private final Cache<String, Trusted> trusted;
    private final Cache<String, Boolean> refused;
    private final Map<String, Uni<SecurityIdentity>> inFlight = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final long refreshAfterNanos;
    private final long retryAfterNanos;

    @Inject
    public ApiKeyVerifier(ApiKeyConfig config, ApiKeyExchange exchange, TenantIdentityProvider tokens) {
        this(config, exchange, tokens, Ticker.systemTicker());
    }

    ApiKeyVerifier(ApiKeyConfig config, ApiKeyExchange exchange, TenantIdentityProvider tokens, Ticker ticker) {
        this.exchange = exchange;
        this.tokens = tokens;
        this.ticker = ticker;
        this.refreshAfterNanos = config.cacheTtl().toNanos() / 4 * 3;
        // A background check that failed is tried again at most twice more before the trust runs out, however many
        // requests the key makes meanwhile: an unreachable or overloaded Keycloak is not asked once per request.
        this.retryAfterNanos = config.cacheTtl().toNanos() / 12;
        this.trusted = Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterWrite(config.cacheTtl())
                .ticker(ticker).build();
        this.refused = Caffeine.newBuilder().maximumSize(config.cacheSize())
                .expireAfterWrite(config.refusedCacheTtl()).build();
    }

    public Uni<SecurityIdentity> identityOf(ApiKey key) {
        String digest = key.digest();
        Trusted known = trusted.getIfPresent(digest);
        if (known != null && Instant.now().isBefore(known.until())) {
            long due = known.checkDueNanos().get();
            long now = ticker.read();
            if (now - due >= 0 && known.checkDueNanos().compareAndSet(due, now + retryAfterNanos)) {
                refreshInBackground(key, digest);
            }
            return Uni.createFrom().item(known.identity());
        }
        if (refused.getIfPresent(digest) != null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("API key refused by Keycloak moments ago"));
        }
        Uni<SecurityIdentity> shared = inFlight.computeIfAbsent(digest, d -> check(key, d, exchange.accessToken(key)));
        return onCallersContext(shared);
    }

    /**
     * Checks a trusted key again, or joins the check under way (the check is memoized, so joining asks Keycloak
     * nothing more); its outcome replaces or ends the trust. Its failure is logged by check() and leaves the trust
     * to run out; nobody waits for it. It goes through the exchange's re-check lane, with the keys already in use:
     * a flood of new keys filling the first-use lane must not fail a busy key's checks until its trust runs out.
     */
    private void refreshInBackground(ApiKey key, String digest) {
        inFlight.computeIfAbsent(digest, d -> check(key, d, exchange.recheck(key)))
                .subscribe().with(identity -> { }, failure -> { });
    }

    /**
     * One exchange ({@code accessToken}, not yet subscribed) and validation, memoized so that every caller waiting
     * for the same key gets its outcome.
     */
    private Uni<SecurityIdentity> check(ApiKey key, String digest, Uni<String> accessToken) {
        return accessToken
                .chain(token -> tokens.authenticate(new AccessTokenCredential(token)))
                .map(identity -> {
                    SecurityIdentity withKey = QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(ApiKeyAuthenticationMechanism.API_KEY_ATTRIBUTE, key.clientId()).build();
                    trusted.put(digest, new Trusted(withKey, expiryOf(identity),
                            new AtomicLong(ticker.read() + refreshAfterNanos)));
                    return withKey;
                })
                .onFailure(AuthenticationFailedException.class).invoke(() -> {
                    trusted.invalidate(digest);
                    refused.put(digest, Boolean.TRUE);
                })
                .onFailure(failure -> !(failure instanceof AuthenticationFailedException)).transform(failure -> {
                    // A full queue is the flood itself: one warning per refused request would flood the log too.
                    LOG.logf(failure instanceof ExchangeQueueFullException ? Logger.Level.DEBUG : Logger.Level.WARN,
                            "API key %s could not be checked: %s", key.clientId(), failure.getMessage());
                    return failure instanceof IdentityProviderUnavailableException ? failure
                            : new IdentityProviderUnavailableException("API key could not be checked", failure);
                })
                .onTermination().invoke(() -> inFlight.remove(digest))
                .memoize().indefinitely();
    }

    /**
     * A shared exchange completes on the event loop of whoever started it; each waiting request gets the outcome
     * back on its own context, where Vert.x expects its request to be handled.
     */
    private static Uni<SecurityIdentity> onCallersContext(Uni<SecurityIdentity> shared) {
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return shared;
        }
        return shared.emitOn(task -> {
            if (Vertx.currentContext() == caller) {
                task.run();
            } else {
                caller.runOnContext(ignored -> task.run());
            }
        });
    }

    private static Instant expiryOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            return Instant.ofEpochSecond(jwt.getExpirationTime());
        }
        return Instant.MAX;
    }

    /** A validated key: its identity, its token's expiry, and when it is next checked in the background. */
    private record Trusted(SecurityIdentity identity, Instant until, AtomicLong checkDueNanos) {
    }
}
