package io.eventfeeds.security.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.apikey.ApiKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exchange's lanes against a token endpoint that answers only when told to (a Keycloak that is slow). */
class ApiKeyExchangeTest {

    private static final ApiKey KEY = new ApiKey("apikey-test", "secret");

    private Vertx vertx;
    private HttpServer keycloak;
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    private volatile boolean answering;

    @BeforeEach
    void startSlowKeycloak() throws Exception {
        vertx = Vertx.vertx();
        keycloak = vertx.getDelegate().createHttpServer().requestHandler(request -> {
            if (answering) {
                answer(request);
            } else {
                held.add(request);
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
    }

    @Test
    void fullAuthenticationLaneRefusesAtOnceWhileReChecksStillReachKeycloak() {
        ApiKeyExchange exchange = new ApiKeyExchange(vertx, StubApiKeyConfig.lanes(tokenEndpoint(), 2, 1), "unused");
        CompletableFuture<String> first = exchange.accessToken(KEY).subscribeAsCompletionStage();
        CompletableFuture<String> second = exchange.accessToken(KEY).subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 2);

        assertThat(failureOf(exchange.accessToken(KEY))).as("third exchange while two are pending")
                .isInstanceOf(ExchangeQueueFullException.class);

        CompletableFuture<String> recheck = exchange.recheck(KEY).subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 3);
        assertThat(failureOf(exchange.recheck(KEY))).as("second re-check while one is pending")
                .isInstanceOf(ExchangeQueueFullException.class);

        answering = true;
        held.forEach(ApiKeyExchangeTest::answer);
        assertThat(List.of(first, second, recheck)).allSatisfy(done ->
                assertThat(done).succeedsWithin(Duration.ofSeconds(5)));
        assertThat(exchange.accessToken(KEY).await().atMost(Duration.ofSeconds(5))).as("lane free again")
                .isEqualTo("token");
    }

    private String tokenEndpoint() {
        return "http://127.0.0.1:" + keycloak.actualPort() + "/realms/feeds/protocol/openid-connect/token";
    }

    private static void answer(HttpServerRequest request) {
        request.response().putHeader("Content-Type", "application/json").end("{\"access_token\":\"token\"}");
    }

    /** Fails the test if the exchange would wait: a full lane must answer at once. */
    private static Throwable failureOf(Uni<String> exchange) {
        return exchange.onItem().<Throwable>transform(token -> null).onFailure().recoverWithItem(failure -> failure)
                .await().atMost(Duration.ofSeconds(1));
    }
}
