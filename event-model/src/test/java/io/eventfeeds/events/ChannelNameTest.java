package io.eventfeeds.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChannelNameTest {

    @Test
    void splitsNamespaceAndName() {
        assertThat(ChannelName.parse("scores:game-1", null)).contains(new ChannelName("scores", "game-1"));
    }

    @Test
    void refusesBadSyntaxAndSaysWhy() {
        for (String bad : new String[] {"", "scores", "Scores:x", "scores:", ":x", "a:b:c", "chat:hello world"}) {
            StringBuilder why = new StringBuilder();
            assertThat(ChannelName.parse(bad, why)).as(bad).isEmpty();
            assertThat(why).as(bad).isNotEmpty();
        }
    }

    @Test
    void refusesNamesOverTheLengthLimit() {
        String name = "chat:" + "x".repeat(ChannelName.MAX_LENGTH - 5);
        assertThat(ChannelName.parse(name, null)).isPresent();
        StringBuilder why = new StringBuilder();
        assertThat(ChannelName.parse(name + "x", why)).isEmpty();
        assertThat(why.toString()).contains("128");
    }
}
