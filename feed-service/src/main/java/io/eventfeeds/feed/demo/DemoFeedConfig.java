package io.eventfeeds.feed.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The demo feed: off unless enabled (the local platform and dev mode enable it; production never should). */
@ConfigMapping(prefix = "feeds.demo")
public interface DemoFeedConfig {

    /** Environment variable FEEDS_DEMO_ENABLED. */
    @WithDefault("false")
    boolean enabled();

    /** Time between two ticks; each tick moves the game and every stock once. */
    @WithDefault("1S")
    Duration interval();

    /** The game's channel. */
    @WithDefault("scores:game-1")
    String gameChannel();

    /** Stock symbols; each publishes to {@code stocks:<symbol>}. */
    @WithDefault("acme,globex,initech")
    List<String> stocks();
}
