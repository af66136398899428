package io.eventfeeds.security.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Ticker;
import io.eventfeeds.apikey.ApiKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiKeyVerifierTest {

    private static final ApiKey KEY = new ApiKey("apikey-test", "secret");
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    @Test
    void concurrentFirstUsesOfOneKeyShareOneExchange() {
        CompletableFuture<String> keycloak = new CompletableFuture<>();
        CountingExchange exchange = new CountingExchange(() -> Uni.createFrom().completionStage(keycloak));
        ApiKeyVerifier verifier = verifier(exchange, Duration.ofSeconds(5));

        List<CompletableFuture<SecurityIdentity>> callers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            callers.add(verifier.identityOf(KEY).subscribeAsCompletionStage());
        }
        keycloak.complete("token");

        assertThat(callers).allSatisfy(caller ->
                assertThat(caller.join().getAttribute(ApiKeyAuthenticationMechanism.API_KEY_ATTRIBUTE).toString())
                        .isEqualTo("apikey-test"));
        assertThat(exchange.calls()).isEqualTo(1);
        verifier.identityOf(KEY).await().indefinitely();
        assertThat(exchange.calls()).as("validated key is cached").isEqualTo(1);
    }

    @Test
    void keyKeycloakRefusedIsRefusedAgainWithoutAskingKeycloakUntilTheRefusalExpires() {
        CountingExchange exchange = new CountingExchange(
                () -> Uni.createFrom().failure(new AuthenticationFailedException("refused")));
        ApiKeyVerifier verifier = verifier(exchange, Duration.ofMillis(300));

        for (int i = 0; i < 10; i++) {
            assertThat(failureOf(verifier.identityOf(KEY))).isInstanceOf(AuthenticationFailedException.class);
        }
        assertThat(exchange.calls()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(failureOf(verifier.identityOf(KEY))).isInstanceOf(AuthenticationFailedException.class);
            assertThat(exchange.calls()).isEqualTo(2);
        });
    }

    @Test
    void keycloakOutageIsReportedAsSuchAndNotRememberedAsARefusal() {
        CountingExchange exchange = new CountingExchange(() -> Uni.createFrom()
                .failure(new IdentityProviderUnavailableException("connection refused", null)));
        ApiKeyVerifier verifier = verifier(exchange, Duration.ofSeconds(5));

        assertThat(failureOf(verifier.identityOf(KEY))).isInstanceOf(IdentityProviderUnavailableException.class);
        assertThat(failureOf(verifier.identityOf(KEY))).isInstanceOf(IdentityProviderUnavailableException.class);
        assertThat(exchange.calls()).as("each try asks Keycloak again").isEqualTo(2);
    }

    @Test
    void unexpectedFailureWhileCheckingAKeyCountsAsAnOutageNotAsABadKey() {
        CountingExchange exchange = new CountingExchange(() -> Uni.createFrom().failure(new IllegalStateException("boom")));
        ApiKeyVerifier verifier = verifier(exchange, Duration.ofSeconds(5));

        assertThat(failureOf(verifier.identityOf(KEY))).isInstanceOf(IdentityProviderUnavailableException.class);
    }

    @Test
    void keyInUseIsCheckedAgainInTheBackgroundBeforeItsTrustRunsOutWhileItsCallersGoOn() {
        FakeTicker clock = new FakeTicker();
        CountingExchange exchange = new CountingExchange(() -> Uni.createFrom().item("token"));
        ApiKeyVerifier verifier = trustedAtStart(exchange, clock);

        CompletableFuture<String> keycloak = new CompletableFuture<>();
        exchange.answer(() -> Uni.createFrom().completionStage(keycloak));
        clock.advance(Duration.ofSeconds(44));
        assertThat(answeredAtOnce(verifier)).as("within three quarters of the trust").isTrue();
        assertThat(exchange.calls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(answeredAtOnce(verifier)).as("past three quarters: Keycloak is asked, the caller does not wait")
                .isTrue();
        assertThat(answeredAtOnce(verifier)).isTrue();
        assertThat(exchange.calls()).as("one background check at a time").isEqualTo(2);
        assertThat(exchange.rechecks()).as("through the re-check lane, which a flood of new keys cannot fill")
                .isEqualTo(1);

        keycloak.complete("token");
        clock.advance(Duration.ofSeconds(50));
        assertThat(answeredAtOnce(verifier)).as("96 s after the first check: trusted since the background one")
                .isTrue();
    }

    @Test
    void refusalFoundByABackgroundCheckEndsTheTrustAtOnce() {
        FakeTicker clock = new FakeTicker();
        CountingExchange exchange = new CountingExchange(() -> Uni.createFrom().item("token"));
        ApiKeyVerifier verifier = trustedAtStart(exchange, clock);

        exchange.answer(() -> Uni.createFrom().failure(new AuthenticationFailedException("revoked")));
        clock.advance(Duration.ofSeconds(46));
        verifier.identityOf(KEY).await().indefinitely();

        assertThat(failureOf(verifier.identityOf(KEY))).isInstanceOf(AuthenticationFailedException.class);
        assertThat(exchange.calls()).isEqualTo(2);
    }

    @Test
    void backgroundCheckThatCannotReachKeycloakLeavesTheTrustToRunOut() {
        FakeTicker clock = new FakeTicker();
        CountingExchange exchange = new CountingExchange(() -> Uni.createFrom().item("token"));
        ApiKeyVerifier verifier = trustedAtStart(exchange, clock);

        exchange.answer(() -> Uni.createFrom().failure(new IdentityProviderUnavailableException("down", null)));
        clock.advance(Duration.ofSeconds(46));
        assertThat(answeredAtOnce(verifier)).isTrue();
        assertThat(answeredAtOnce(verifier)).isTrue();
        assertThat(exchange.calls()).as("a failed background check is not repeated by every request").isEqualTo(2);
        clock.advance(Duration.ofSeconds(13));
        assertThat(answeredAtOnce(verifier)).as("59 s: still trusted").isTrue();
        assertThat(exchange.calls()).as("tried again after a while").isEqualTo(3);

        clock.advance(Duration.ofSeconds(2));
        assertThat(failureOf(verifier.identityOf(KEY))).as("61 s: the trust has run out")
                .isInstanceOf(IdentityProviderUnavailableException.class);
    }

    /** Whether the caller got its identity without waiting for anything. */
    private static boolean answeredAtOnce(ApiKeyVerifier verifier) {
        CompletableFuture<SecurityIdentity> identity = verifier.identityOf(KEY).subscribeAsCompletionStage();
        return identity.isDone() && !identity.isCompletedExceptionally();
    }

    private static Throwable failureOf(Uni<SecurityIdentity> uni) {
        return uni.onItem().<Throwable>transform(identity -> null).onFailure().recoverWithItem(failure -> failure)
                .await().atMost(Duration.ofSeconds(5));
    }

    private static ApiKeyVerifier verifier(ApiKeyExchange exchange, Duration refusedTtl) {
        return new ApiKeyVerifier(config(refusedTtl), exchange, ApiKeyVerifierTest::validated);
    }

    /** With the configured trust of one minute, on a clock the test moves, and the key validated at its start. */
    private static ApiKeyVerifier trustedAtStart(ApiKeyExchange exchange, FakeTicker clock) {
        ApiKeyVerifier verifier =
                new ApiKeyVerifier(config(Duration.ofSeconds(5)), exchange, ApiKeyVerifierTest::validated, clock);
        verifier.identityOf(KEY).await().indefinitely();
        return verifier;
    }

    private static Uni<SecurityIdentity> validated(Object credential) {
        return Uni.createFrom().item(
                QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("service-account-apikey-test")).build());
    }

    private static final class FakeTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong(1);

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        @Override
        public long read() {
            return nanos.get();
        }
    }

    /** Stands for Keycloak's token endpoint, counting how often it is asked. */
    private static final class CountingExchange extends ApiKeyExchange {

        private final AtomicReference<Supplier<Uni<String>>> answer;
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger rechecks = new AtomicInteger();

        CountingExchange(Supplier<Uni<String>> answer) {
            super(vertx, config(Duration.ZERO), "http://127.0.0.1:1/realms/feeds");
            this.answer = new AtomicReference<>(answer);
        }

        /** How Keycloak answers from now on. */
        void answer(Supplier<Uni<String>> next) {
            answer.set(next);
        }

        @Override
        public Uni<String> accessToken(ApiKey key) {
            calls.incrementAndGet();
            return answer.get().get();
        }

        /** Asked again for a key already in use (the re-check lane): counted in {@link #calls()} too. */
        @Override
        public Uni<String> recheck(ApiKey key) {
            rechecks.incrementAndGet();
            return accessToken(key);
        }

        /** Exchanges through either lane. */
        int calls() {
            return calls.get();
        }

        int rechecks() {
            return rechecks.get();
        }
    }

    private static ApiKeyConfig config(Duration refusedTtl) {
        return StubApiKeyConfig.refusedFor(refusedTtl);
    }
}
