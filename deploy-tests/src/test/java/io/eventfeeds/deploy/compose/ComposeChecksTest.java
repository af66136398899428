package io.eventfeeds.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.runtime.kafka.KafkaClusterLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docker-compose.yml passes every check, and each check fails, with exactly its problem, on a deliberately broken
 * copy.
 */
class ComposeChecksTest {

    private static final Repository REPOSITORY = Repository.current();
    private static final String YAML = REPOSITORY.read("docker-compose.yml");
    /** Compose runs one Kafka node: its topic takes the replication the platform's launcher gives one node. */
    private static final KafkaClusterLayout SINGLE_NODE =
            KafkaClusterLayout.contiguous(1, "kafka", 9092, 9093, Path.of("/var/lib/kafka"));

    private final ComposeChecks checks = new ComposeChecks(REPOSITORY);
    private final ObjectNode compose = ComposeFile.parse(YAML);

    private ObjectNode service(String name) {
        return (ObjectNode) compose.path("services").path(name);
    }

    @Test
    void composeFilePassesEveryCheck() {
        assertThat(checks.all(compose)).isEmpty();
    }

    @Test
    void variablesTakeTheirDefaultsAsOnTheLocalPlatform() {
        assertThat(service("gateway-service").path("ports").get(0).asText()).isEqualTo("127.0.0.1:8080:8080");
        assertThat(ComposeFile.environment(service("keycloak"))).containsEntry("KC_HOSTNAME", "http://127.0.0.1:8180");
        assertThat(ComposeFile.command(service("kafka-init")))
                .contains("--topic " + io.eventfeeds.events.EventTopics.EVENTS)
                .contains("--partitions " + REPOSITORY.platformDefault("EVENTS_TOPIC_PARTITIONS"))
                .contains("retention.ms=" + REPOSITORY.platformDefault("EVENTS_TOPIC_RETENTION_MS"))
                .contains("--replication-factor " + SINGLE_NODE.replicationFactor())
                .contains("min.insync.replicas=" + SINGLE_NODE.minInsyncReplicas());
    }

    /** The rules inside the checks that the tests below do not break one by one: one field each, by its JSON path. */
    @ParameterizedTest(name = "{0} = {1}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        /services/feed-service/healthcheck        | -                                  | healthchecks | service feed-service healthcheck does not ask the readiness path
        /services/keycloak/volumes                | -                                  | keycloakServesTheRealm | service keycloak's realm import is [], not [./auth-config/
        /services/kafka/image                     | `"apache/kafka:3.9.0"`             | imagesAndBuilds | service kafka image is apache/kafka:3.9.0, not apache/kafka:
        """)
    void breakingOneFieldReportsItsRule(String path, String value, String check, String problem) throws Exception {
        ObjectNode parent = (ObjectNode) compose.at(path.substring(0, path.lastIndexOf('/')));
        String field = path.substring(path.lastIndexOf('/') + 1);
        if (value.equals("-")) {
            assertThat(parent.remove(field)).as(path).isNotNull();
        } else {
            parent.set(field, new ObjectMapper().readTree(value));
        }
        Map<String, Function<JsonNode, List<String>>> checksByName = Map.of(
                "healthchecks", checks::healthchecks, "publishedPorts", checks::publishedPorts,
                "keycloakServesTheRealm", checks::keycloakServesTheRealm, "imagesAndBuilds", checks::imagesAndBuilds);

        assertThat(checksByName.get(check).apply(compose)).filteredOn(p -> p.startsWith(problem)).hasSize(1);
    }

    @Test
    void healthcheckOnTheLivenessPathOrAnotherPortIsReported() {
        ArrayNode test = (ArrayNode) service("feed-service").path("healthcheck").path("test");
        test.set(3, test.get(3).asText().replace("/q/health/ready", "/q/health/live").replace("9081", "8081"));

        assertThat(checks.healthchecks(compose)).containsExactly(
                "service feed-service healthcheck does not ask the readiness path /q/health/ready",
                "service feed-service healthcheck does not ask port 9081, where feed-service serves health");
    }

    @Test
    void publishedKafkaPortIsReported() {
        service("kafka").putArray("ports").add("9092:9092");

        assertThat(checks.publishedPorts(compose)).containsExactly("service kafka publishes [\"9092:9092\"]: only the"
                + " gateway, feed-service and Keycloak may be reachable from the host");
    }

    @Test
    void publishingAPortTheServiceDoesNotListenOnIsReported() {
        ((ArrayNode) service("feed-service").path("ports")).set(0, "127.0.0.1:8081:8080");

        assertThat(checks.publishedPorts(compose)).containsExactly(
                "service feed-service publishes \"127.0.0.1:8081:8080\", but it listens on 8081");
    }

    @Test
    void environmentVariableTheServiceDoesNotReadIsReported() {
        ((ObjectNode) service("feed-service").path("environment")).put("KAFKA_BOOTSTRAP_SERVER", "kafka:9092");

        assertThat(checks.environmentFitsTheService(compose)).containsExactly(
                "service feed-service sets KAFKA_BOOTSTRAP_SERVER, which feed-service does not read (no such key in its configuration)");
    }

    @Test
    void environmentVariablesOfTheSharedConfigMappingsAreAccepted() {
        ObjectNode env = (ObjectNode) service("gateway-service").path("environment");
        env.put("FEEDS_API_KEYS_CACHE_TTL", "30S");
        env.put("FEEDS_CHANNELS_NAMESPACE_CHAT_WRITE", "chat");
        env.put("QUARKUS_HTTP_PORT", "8080");

        assertThat(checks.environmentFitsTheService(compose)).isEmpty();
    }

    @Test
    void gatewayJvmOptionsOtherThanItsJvmOptionsFileAreReported() {
        ObjectNode env = (ObjectNode) service("gateway-service").path("environment");
        env.put("JAVA_OPTS", env.path("JAVA_OPTS").asText().replace("-XX:+UseG1GC", "-XX:+UseParallelGC"));

        assertThat(checks.environmentFitsTheService(compose)).singleElement().asString()
                .startsWith("service gateway-service JAVA_OPTS is [").contains("-XX:+UseParallelGC")
                .contains("but gateway-service/jvm.options defines [").contains("-XX:+UseG1GC");
    }

    @Test
    void gatewayWithoutItsJvmOptionsIsReported() {
        ((ObjectNode) service("gateway-service").path("environment")).remove("JAVA_OPTS");

        assertThat(checks.environmentFitsTheService(compose)).containsExactly("service gateway-service does not set"
                + " JAVA_OPTS: it would run with the image's default JVM options instead of gateway-service/jvm.options");
    }

    @Test
    void jvmOptionsForAServiceThatDefinesNoneAreReported() {
        ((ObjectNode) service("feed-service").path("environment")).put("JAVA_OPTS", "-Xmx1g");

        assertThat(checks.environmentFitsTheService(compose)).containsExactly(
                "service feed-service sets JAVA_OPTS, which feed-service does not read (no such key in its configuration)");
    }

    @Test
    void realmFromAnotherPathIsReported() {
        ((ArrayNode) service("keycloak").path("volumes")).set(0,
                "./auth-config/feeds-realm.json:/opt/keycloak/data/import/feeds-realm.json:ro");

        assertThat(checks.keycloakServesTheRealm(compose)).containsExactly(
                "service keycloak's realm import is [./auth-config/feeds-realm.json], not [./" + Repository.REALM_FILE
                        + "] (the one realm, into /opt/keycloak/data/import/)");
    }

    @Test
    void keycloakWithoutImportRealmIsReported() {
        service("keycloak").putArray("command").add("start-dev");

        assertThat(checks.keycloakServesTheRealm(compose)).containsExactly(
                "service keycloak does not start with --import-realm");
    }

    @Test
    void imagesOfAnotherVersionOrModuleAreReported() {
        service("keycloak").put("image", "quay.io/keycloak/keycloak:26.0.0");
        ((ObjectNode) service("gateway-service").path("build")).put("dockerfile",
                "feed-service/src/main/docker/Dockerfile.multistage");

        assertThat(checks.imagesAndBuilds(compose)).containsExactly(
                "service keycloak image is quay.io/keycloak/keycloak:26.0.0, not quay.io/keycloak/keycloak:26.5.6 (the platform's"
                        + " version)",
                "service gateway-service builds from feed-service/src/main/docker/Dockerfile.multistage, which is not a"
                        + " Dockerfile of module gateway-service (gateway-service/src/main/docker/)");
    }

    @Test
    void servicesPointedAtAnotherKeycloakAreReported() {
        ObjectNode env = (ObjectNode) service("feed-service").path("environment");
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", "http://127.0.0.1:8180/realms/feeds");

        assertThat(checks.keycloakServesTheRealm(compose)).containsExactly(
                "service feed-service QUARKUS_OIDC_AUTH_SERVER_URL is http://127.0.0.1:8180/realms/feeds, not"
                        + " http://keycloak:8080/realms/feeds (Keycloak inside the network, and the realm)");
    }
}
