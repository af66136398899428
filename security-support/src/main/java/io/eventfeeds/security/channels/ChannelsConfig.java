package io.eventfeeds.security.channels;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;

/**
 * The channel permission policy, in one place for both services: for each namespace, who may read (subscribe) and
 * who may write (publish). Its defaults are in this module's {@code META-INF/microprofile-config.properties}; an
 * operator overrides them with the same keys in a service's configuration or environment.
 */
@ConfigMapping(prefix = "feeds.channels")
public interface ChannelsConfig {

    /** Any authenticated caller. */
    String AUTHENTICATED = "@authenticated";
    /** Only the caller whose token subject is the channel's name ({@code user:<subject>}). */
    String OWNER = "@owner";

    /** The known namespaces; a channel in any other namespace is refused as unknown. */
    Map<String, Rule> namespace();

    interface Rule {
        /** Realm roles (any of them), or {@value #AUTHENTICATED}, or {@value #OWNER}, that may subscribe. */
        List<String> read();

        /** Realm roles (any of them), or {@value #AUTHENTICATED}, or {@value #OWNER}, that may publish. */
        List<String> write();
    }
}
