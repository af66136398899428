package io.eventfeeds.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator's command line, read before Keycloak is asked anything: each mistake is one line. */
class ApiKeyArgumentsTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiterString = "=>", textBlock = """
            ''                                      => usage: ./platform api-key create NAME --role ROLE [--rate N] [--max-connections N] | list | revoke NAME
            delete x                                => usage: ./platform api-key create NAME --role ROLE [--rate N] [--max-connections N] | list | revoke NAME
            create                                  => usage: ./platform api-key create NAME --role ROLE [--role ROLE] [--rate N] [--max-connections N]
            create Upper --role chat                => API key name 'Upper' must be lowercase letters, digits and '-' (at most 63)
            create -x --role chat                   => API key name '-x' must be lowercase letters, digits and '-' (at most 63)
            create a_b --role chat                  => API key name 'a_b' must be lowercase letters, digits and '-' (at most 63)
            create aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa --role chat => API key name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' must be lowercase letters, digits and '-' (at most 63)
            create k                                => an API key needs at least one --role (subscriber, chat, publisher, admin)
            create k --rate 5                       => an API key needs at least one --role (subscriber, chat, publisher, admin)
            create k --role                         => --role needs a value
            create k --role root                    => unknown role 'root' (subscriber, chat, publisher, admin)
            create k --role Chat                    => unknown role 'Chat' (subscriber, chat, publisher, admin)
            create k --role chat --rate             => --rate needs a value
            create k --role chat --rate 0           => --rate must be a positive number of requests per second
            create k --role chat --rate -3          => --rate must be a positive number of requests per second
            create k --role chat --rate 1.5         => --rate must be a positive number of requests per second
            create k --role chat --rate 1000000     => --rate must be a positive number of requests per second
            create k --role chat --rate ten         => --rate must be a positive number of requests per second
            create k --role chat --max-connections  => --max-connections needs a value
            create k --role chat --max-connections 0 => --max-connections must be a positive number of open WebSocket connections
            create k --role chat --max-connections 07 => --max-connections must be a positive number of open WebSocket connections
            create k --role chat --ttl 5            => unknown option '--ttl' for api-key create
            create k chat                           => unknown option 'chat' for api-key create
            list all                                => usage: ./platform api-key list
            revoke                                  => usage: ./platform api-key revoke NAME
            revoke a b                              => usage: ./platform api-key revoke NAME
            revoke Upper                            => API key name 'Upper' must be lowercase letters, digits and '-' (at most 63)
            """)
    void aWrongCommandLineIsOneLineThatSaysWhatIsWrong(String line, String message) {
        assertThatThrownBy(() -> ApiKeyArguments.parse(words(line)))
                .isInstanceOf(ApiKeyCommandException.class).hasMessage(message);
    }

    @Test
    void createTakesRolesOnceEachInTheirOrderAndTheLimits() {
        ApiKeyRequest request = ApiKeyArguments.parse(words(
                "create score-board-2 --role subscriber --rate 20 --role chat --role subscriber --max-connections 3"));

        assertThat(request).isEqualTo(new ApiKeyRequest.Create("score-board-2", List.of("subscriber", "chat"),
                OptionalInt.of(20), OptionalInt.of(3)));
    }

    @Test
    void createWithoutLimitsLeavesThemToTheServices() {
        assertThat(ApiKeyArguments.parse(words("create k --role admin"))).isEqualTo(
                new ApiKeyRequest.Create("k", List.of("admin"), OptionalInt.empty(), OptionalInt.empty()));
    }

    @Test
    void listAndRevoke() {
        assertThat(ApiKeyArguments.parse(words("list"))).isEqualTo(new ApiKeyRequest.ListKeys());
        assertThat(ApiKeyArguments.parse(words("revoke k-1"))).isEqualTo(new ApiKeyRequest.Revoke("k-1"));
    }

    private static List<String> words(String line) {
        return line.isBlank() ? List.of() : Arrays.asList(line.trim().split(" +"));
    }
}
