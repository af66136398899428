package io.eventfeeds.security.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The problem body is what clients and docs/events.md rely on: these fields, in this order, and no {@code field}
 * when none is at fault, whether JAX-RS (Jackson) or a Vert.x route (Vert.x's JSON) writes it.
 */
class ProblemTest {

    private static final String RATE_LIMITED = "{\"type\":\"https://eventfeeds.io/problems/rate-limited\","
            + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"retry after 2 s\"}";

    @Test
    void aProblemWithoutAFieldHasTypeTitleStatusAndDetailOnly() throws Exception {
        Problem problem = Problem.of(SecurityProblemType.RATE_LIMITED, "retry after 2 s");

        assertThat(new ObjectMapper().writeValueAsString(problem)).isEqualTo(RATE_LIMITED);
        assertThat(Json.encode(problem)).isEqualTo(RATE_LIMITED);
    }

    @Test
    void aProblemNamesTheFieldAtFaultLast() throws Exception {
        ProblemType invalid = new ProblemType() {
            @Override
            public String slug() {
                return "invalid-field";
            }

            @Override
            public String title() {
                return "Invalid request field";
            }

            @Override
            public int status() {
                return 400;
            }
        };

        assertThat(new ObjectMapper().writeValueAsString(Problem.of(invalid, "data is required", "data")))
                .isEqualTo("{\"type\":\"https://eventfeeds.io/problems/invalid-field\",\"title\":\"Invalid request "
                        + "field\",\"status\":400,\"detail\":\"data is required\",\"field\":\"data\"}");
    }

    @Test
    void theSecurityProblemsKeepTheTypesDocsAndClientsKnow() {
        assertThat(Arrays.stream(SecurityProblemType.values()).map(ProblemType::uri)).containsExactly(
                "https://eventfeeds.io/problems/rate-limited",
                "https://eventfeeds.io/problems/too-many-failed-credentials",
                "https://eventfeeds.io/problems/identity-provider-unavailable");
        assertThat(SecurityProblemType.IDENTITY_PROVIDER_UNAVAILABLE.title()).isEqualTo("Identity provider unavailable");
        assertThat(SecurityProblemType.TOO_MANY_FAILED_CREDENTIALS.status()).isEqualTo(429);
    }

    @Test
    void retryAfterIsInWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(ProblemResponse.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(ProblemResponse.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(ProblemResponse.retryAfterSeconds(Duration.ofSeconds(5))).isEqualTo(5);
    }

    @Test
    void aJaxRsAnswerCarriesTheProblemMediaTypeStatusAndRetryAfter() {
        Problem problem = Problem.of(SecurityProblemType.RATE_LIMITED, "retry after 3 s");

        try (Response response = ProblemResponse.of(problem, Duration.ofMillis(2500))) {
            assertThat(response.getStatus()).isEqualTo(429);
            assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
            assertThat(response.getHeaderString("Retry-After")).isEqualTo("3");
            assertThat(response.getEntity()).isSameAs(problem);
        }
        try (Response response = ProblemResponse.of(problem, null)) {
            assertThat(response.getHeaderString("Retry-After")).isNull();
        }
    }
}
