package io.eventfeeds.gateway.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The page's settings, read by {@code /js/app.js} before it logs in. Public on purpose: it holds only what any
 * browser must know to start the login (Keycloak's public URL and a public client id), no secret.
 */
@Path(WebPageConfigResource.PATH)
public class WebPageConfigResource {

    public static final String PATH = "/config.json";
    private static final String REALMS = "/realms/";

    private final WebPageConfig config;

    public WebPageConfigResource(WebPageConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Settings of the web page: Keycloak, feed-service and demo channels as browsers see them")
    public PageSettings settings(@Context UriInfo request) {
        String realmUrl = config.authServerUrl();
        int at = realmUrl.lastIndexOf(REALMS);
        if (at < 0) {
            throw new IllegalStateException("feeds.web.auth-server-url must be a Keycloak realm URL "
                    + "(.../realms/NAME), not " + realmUrl);
        }
        String realm = realmUrl.substring(at + REALMS.length()).replaceAll("/+$", "");
        return new PageSettings(new Keycloak(realmUrl.substring(0, at), realm, config.clientId()),
                feedUrlFor(request).replaceAll("/+$", ""), new Channels(config.scoreChannel(), config.stockChannels(),
                config.chatChannel(), config.announcementChannel()));
    }

    private String feedUrlFor(UriInfo request) {
        boolean https = "https".equalsIgnoreCase(request.getRequestUri().getScheme());
        return https ? config.feedTlsUrl().orElse(config.feedUrl()) : config.feedUrl();
    }

    /** keycloak-js' constructor options: the server's base URL, the realm and the client. */
    public record Keycloak(String url, String realm, String clientId) {
    }

    public record Channels(String scores, List<String> stocks, String chat, String announcements) {
    }

    public record PageSettings(Keycloak keycloak, String feedUrl, Channels channels) {
    }
}
