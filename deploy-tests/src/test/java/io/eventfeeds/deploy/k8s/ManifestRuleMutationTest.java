package io.eventfeeds.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rules inside the checks that {@link ManifestMutationTest} does not break one by one: each row breaks one field
 * of a real overlay, reached by its JSON path, and expects that rule's problem.
 */
class ManifestRuleMutationTest {

    private static final ManifestChecks CHECKS = new ManifestChecks(Rendered.REPOSITORY);
    private static final Map<String, BiFunction<Manifest, Overlay, List<String>>> BY_NAME = Map.ofEntries(
            Map.entry("probesUseHealthPaths", (m, o) -> CHECKS.probesUseHealthPaths(m)),
            Map.entry("podsHaveResourcesAndTmp", (m, o) -> CHECKS.podsHaveResourcesAndTmp(m)),
            Map.entry("servicesFitTheIngress", (m, o) -> CHECKS.servicesFitTheIngress(m)),
            Map.entry("gatewayDrainsAndScales", (m, o) -> CHECKS.gatewayDrainsAndScales(m)),
            Map.entry("kafkaMatchesThePlatform", (m, o) -> CHECKS.kafkaMatchesThePlatform(m)),
            Map.entry("keycloakMatchesTheServices", (m, o) -> CHECKS.keycloakMatchesTheServices(m)),
            Map.entry("realmImportMatchesAuthConfig", CHECKS::realmImportMatchesAuthConfig),
            Map.entry("productionRealmIsLockedDown", (m, o) -> CHECKS.productionRealmIsLockedDown(m)));

    @ParameterizedTest(name = "{1} {2} = {3}: {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        DEV  | Deployment/feed-service    | /spec/template/spec/containers/0/livenessProbe/httpGet      | -          | probesUseHealthPaths | liveness probe asks no HTTP path instead of /q/health/live
        PROD | Deployment/feed-service    | /spec/template/spec/containers/0/resources/requests/cpu     | -          | podsHaveResourcesAndTmp | feed-service has no cpu request or limit
        PROD | Deployment/feed-service    | /spec/template/spec/containers/0/resources/limits/cpu       | -          | podsHaveResourcesAndTmp | feed-service has no cpu request or limit
        PROD | Deployment/feed-service    | /spec/template/spec/containers/0/resources/requests/memory  | -          | podsHaveResourcesAndTmp | feed-service has no memory request or limit
        PROD | Deployment/feed-service    | /spec/template/spec/containers/0/volumeMounts               | -          | podsHaveResourcesAndTmp | has a read-only root but no writable /tmp volume
        PROD | Deployment/gateway-service | /spec/template/spec/containers/0/resources/requests/memory  | `"512Mi"`  | podsHaveResourcesAndTmp | has a memory request other than its limit
        PROD | Deployment/gateway-service | /spec/template/spec/containers/0/resources/limits/memory    | `"1536Mi"` | podsHaveResourcesAndTmp | gateway-service has a memory limit below what its JVM options let it take
        PROD | ConfigMap/gateway-service-jvm | /data/JAVA_OPTS                                          | `"-Xmx1g"` | podsHaveResourcesAndTmp | gateway-service has a memory limit below what its JVM options let it take
        DEV  | Ingress/eventfeeds         | /metadata/annotations/nginx.ingress.kubernetes.io~1proxy-send-timeout | `"25"` | servicesFitTheIngress | proxy-send-timeout is 25: idle WebSockets need more
        PROD | Ingress/eventfeeds         | /metadata/annotations/nginx.ingress.kubernetes.io~1proxy-body-size | -      | servicesFitTheIngress | proxy-body-size is 1m, not 4M (feed-service's body limit)
        PROD | HorizontalPodAutoscaler/gateway-service | /spec/scaleTargetRef/name                      | `"feed-service"` | gatewayDrainsAndScales | Deployment feed-service sets replicas although HorizontalPodAutoscaler gateway-service owns them
        PROD | Deployment/gateway-service | /spec/replicas                                              | 3          | gatewayDrainsAndScales | Deployment gateway-service sets replicas although HorizontalPodAutoscaler
        PROD | Kafka/events               | /spec/kafka/version                                         | `"3.9.0"`  | kafkaMatchesThePlatform | Kafka events version is 3.9.0, not
        PROD | KafkaTopic/feeds.events    | /spec/config/retention.ms                                   | 1000       | kafkaMatchesThePlatform | retention.ms is 1000, not
        PROD | KafkaTopic/feeds.events    | /spec/topicName                                             | `"feeds.other"` | kafkaMatchesThePlatform | KafkaTopics is [feeds.other], not [feeds.events]
        PROD | Keycloak/keycloak          | /spec/image                                                 | `"quay.io/keycloak/keycloak:25.0.0"` | keycloakMatchesTheServices | Keycloak image is quay.io/keycloak/keycloak:25.0.0, not quay.io/keycloak/keycloak:
        PROD | ConfigMap/eventfeeds-config | /data/QUARKUS_OIDC_AUTH_SERVER_URL                         | `"http://keycloak:8080/realms/feeds"` | keycloakMatchesTheServices | QUARKUS_OIDC_AUTH_SERVER_URL is http://keycloak:8080/realms/feeds, not http://keycloak-service:8080/realms/feeds
        PROD | KeycloakRealmImport/feeds-realm | /spec/keycloakCRName                                   | `"kc"`     | realmImportMatchesAuthConfig | names Keycloak kc, which does not exist
        PROD | KeycloakRealmImport/feeds-realm | /spec/realm/bruteForceProtected                        | false      | productionRealmIsLockedDown | has brute-force detection off
        PROD | KeycloakRealmImport/feeds-realm | /spec/realm/clients/0/implicitFlowEnabled              | true       | productionRealmIsLockedDown | client feeds-web allows the implicit flow
        PROD | KeycloakRealmImport/feeds-realm | /spec/realm/clients/0/directAccessGrantsEnabled        | true       | productionRealmIsLockedDown | client feeds-web allows the password grant
        PROD | KeycloakRealmImport/feeds-realm | /spec/realm/clients/0/redirectUris                     | `["https://feeds.example.com/*"]` | productionRealmIsLockedDown | client feeds-web accepts redirect URIs by wildcard
        """)
    void breakingOneFieldReportsItsRule(Overlay overlay, String object, String path, String value, String check, String problem)
            throws Exception {
        Manifest manifest = new Manifest(Rendered.overlay(overlay));
        String[] kindAndName = object.split("/", 2);
        JsonNode target = manifest.named(kindAndName[0], kindAndName[1]).orElseThrow();
        ObjectNode parent = (ObjectNode) target.at(path.substring(0, path.lastIndexOf('/')));
        String field = path.substring(path.lastIndexOf('/') + 1).replace("~1", "/");
        if (value.equals("-")) {
            assertThat(parent.remove(field)).as("%s has %s", object, path).isNotNull();
        } else {
            parent.set(field, new ObjectMapper().readTree(value));
        }

        assertThat(BY_NAME.get(check).apply(manifest, overlay)).filteredOn(p -> p.contains(problem)).isNotEmpty();
    }
}
