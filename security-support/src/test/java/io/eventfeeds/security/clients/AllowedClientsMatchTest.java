package io.eventfeeds.security.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedClientsMatchTest {

    private final AllowedClients allowlist = new AllowedClients(() -> Optional.of(List.of("feeds-web", "apikey-*")));

    @ParameterizedTest
    @CsvSource({
            "feeds-web, true",
            "feeds-web2, false",
            "feeds-we, false",
            "apikey-scoreboard, true",
            "apikey-, true",
            "apikey, false",
            "my-apikey-x, false",
            "feeds-cli, false"})
    void aClientIsAllowedByItsExactNameOrAPrefixEndingInAStar(String client, boolean allowed) {
        assertThat(allowlist.isAllowed(client)).isEqualTo(allowed);
    }
}
