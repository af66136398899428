package io.eventfeeds.gateway.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * What the demo page served at {@code /} needs to know, as the browser sees it. Every key can be set by environment
 * variable (FEEDS_WEB_AUTH_SERVER_URL, FEEDS_WEB_CLIENT_ID, FEEDS_WEB_FEED_URL, ...).
 */
@ConfigMapping(prefix = "feeds.web")
public interface WebPageConfig {

    /**
     * The realm URL as browsers reach it. Defaults to the gateway's own OIDC URL, which is right whenever the
     * gateway and the browsers reach Keycloak under the same name (the local platform); behind a proxy or in a
     * cluster the gateway may use an internal name, so this is a key of its own.
     */
    @WithDefault("${quarkus.oidc.auth-server-url}")
    String authServerUrl();

    /** The public Keycloak client of the page (authorization code with PKCE). */
    @WithDefault("feeds-web")
    String clientId();

    /** feed-service's base URL as browsers reach it, for history reads and publishing over REST. */
    @WithDefault("http://127.0.0.1:8081")
    String feedUrl();

    /**
     * feed-service's https URL, given to pages served over https instead of {@link #feedUrl()}: a page on https may
     * not call plain http (mixed content). Unset, every page gets {@link #feedUrl()}.
     */
    Optional<String> feedTlsUrl();

    /** The channel of the scoreboard. */
    @WithDefault("scores:game-1")
    String scoreChannel();

    /** The channels of the stock ticker, one per symbol. */
    @WithDefault("stocks:acme,stocks:globex,stocks:initech")
    List<String> stockChannels();

    /** The chat room. */
    @WithDefault("chat:lobby")
    String chatChannel();

    /** Announcements: everyone reads them, publishers post them through feed-service. */
    @WithDefault("system:announcements")
    String announcementChannel();
}
