package io.eventfeeds.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    @Test
    void roundTripsThroughItsEncodedForm() {
        ApiKey key = new ApiKey("apikey-scoreboard", "s3cr3t:with:colons");
        assertThat(key.encoded()).startsWith("efk_");
        assertThat(ApiKey.parse(key.encoded())).contains(key);
    }

    @Test
    void refusesKeysThatDoNotNameAnApiKeyClient() {
        assertThat(ApiKey.parse(encode("demo-publisher:demo-publisher-secret"))).isEmpty();
        assertThat(ApiKey.parse(encode("apikey-:x"))).isEmpty();
        assertThat(ApiKey.parse(encode("apikey-Upper:x"))).isEmpty();
        assertThat(ApiKey.parse(encode("apikey-ok:"))).isEmpty();
        assertThat(ApiKey.parse(encode("no-colon"))).isEmpty();
    }

    @Test
    void refusesMalformedInput() {
        assertThat(ApiKey.parse(null)).isEmpty();
        assertThat(ApiKey.parse("")).isEmpty();
        assertThat(ApiKey.parse("Bearer xyz")).isEmpty();
        assertThat(ApiKey.parse("efk_%%%")).isEmpty();
        assertThat(ApiKey.parse("efk_" + "A".repeat(600))).isEmpty();
    }

    @Test
    void neverPrintsTheSecret() {
        ApiKey key = new ApiKey("apikey-x", "very-secret");
        assertThat(key.toString()).doesNotContain("very-secret").contains("apikey-x");
        assertThat(key.digest()).hasSize(64).doesNotContain("very-secret");
    }

    @Test
    void aKeysClientIdIsThePrefixAndItsName() {
        assertThat(ApiKey.clientIdOf("scoreboard-2")).isEqualTo("apikey-scoreboard-2");
        assertThat(ApiKey.parse(new ApiKey(ApiKey.clientIdOf("x"), "s").encoded())).isPresent();
        assertThat(ApiKey.isName("a".repeat(63))).isTrue();
        assertThat(ApiKey.isName("a".repeat(64))).isFalse();
        assertThat(ApiKey.isName("-a")).isFalse();
        assertThat(ApiKey.isName("Upper")).isFalse();
        assertThat(ApiKey.isName(null)).isFalse();
        assertThatThrownBy(() -> ApiKey.clientIdOf("no_underscores")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String encode(String raw) {
        return "efk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
