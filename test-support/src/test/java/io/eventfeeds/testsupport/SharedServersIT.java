package io.eventfeeds.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.events.EventTopics;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: the real broker comes up with the event topic (and without auto-creation), and the real
 * Keycloak imports the project's realm and issues tokens for its users and its service client.
 */
class SharedServersIT {

    @Test
    void kafkaBrokerStartsWithTheEventTopicCreated() throws Exception {
        KafkaCluster kafka = SharedServers.kafka();
        try (Admin admin = kafka.admin()) {
            Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(topics).contains(EventTopics.EVENTS);
            assertThat(admin.describeTopics(Set.of(EventTopics.EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(EventTopics.EVENTS).partitions()).hasSize(KafkaCluster.EVENT_TOPIC_PARTITIONS);
        }
    }

    @Test
    void keycloakImportsTheRealmAndIssuesTokensWithTheServicesAudience() {
        Tokens.TokenResponse alice = Tokens.password("alice");
        assertThat(alice.refreshToken()).isNotBlank();
        String payload = new String(Base64.getUrlDecoder().decode(alice.accessToken().split("\\.")[1]));
        assertThat(payload).contains("\"preferred_username\":\"alice\"").contains("\"eventfeeds\"")
                .contains("subscriber").contains("chat")
                .contains("\"iss\":\"" + SharedServers.keycloak().realmUrl() + "\"");

        String service = Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken();
        assertThat(new String(Base64.getUrlDecoder().decode(service.split("\\.")[1]))).contains("publisher");
    }
}
