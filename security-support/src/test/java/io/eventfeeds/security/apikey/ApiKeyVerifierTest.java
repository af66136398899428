package io.eventfeeds.security.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    private static Throwable failureOf(Uni<SecurityIdentity> uni) {
        return uni.onItem().<Throwable>transform(identity -> null).onFailure().recoverWithItem(failure -> failure)
                .await().atMost(Duration.ofSeconds(5));
    }

    private static ApiKeyVerifier verifier(ApiKeyExchange exchange, Duration refusedTtl) {
        return new ApiKeyVerifier(config(refusedTtl), exchange, credential -> Uni.createFrom().item(
                QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("service-account-apikey-test")).build()));
    }

    /** Stands for Keycloak's token endpoint, counting how often it is asked. */
    private static final class CountingExchange extends ApiKeyExchange {

        private final Supplier<Uni<String>> answer;
        private final AtomicInteger calls = new AtomicInteger();

        CountingExchange(Supplier<Uni<String>> answer) {
            super(vertx, config(Duration.ZERO), "http://127.0.0.1:1/realms/feeds");
            this.answer = answer;
        }

        @Override
        public Uni<String> accessToken(ApiKey key) {
            calls.incrementAndGet();
            return answer.get();
        }

        int calls() {
            return calls.get();
        }
    }

    private static ApiKeyConfig config(Duration refusedTtl) {
        return StubApiKeyConfig.refusedFor(refusedTtl);
    }
}
