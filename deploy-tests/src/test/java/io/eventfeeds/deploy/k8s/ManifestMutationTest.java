package io.eventfeeds.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each check, shown to fail on a deliberately broken copy of a real overlay, and to report exactly that problem:
 * none of them passes because it looks at nothing.
 */
class ManifestMutationTest {

    private final ManifestChecks checks = new ManifestChecks(Rendered.REPOSITORY);
    private final List<HasMetadata> dev = Rendered.overlay(Overlay.DEV);
    private final List<HasMetadata> prod = Rendered.overlay(Overlay.PROD);

    private Deployment deployment(List<HasMetadata> objects, String name) {
        return Rendered.one(objects, Deployment.class, name);
    }

    private Container container(List<HasMetadata> objects, String name) {
        return deployment(objects, name).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void probeOnAPathTheServiceDoesNotServeIsReported() {
        container(dev, "gateway-service").getLivenessProbe().getHttpGet().setPath("/health");

        assertThat(checks.probesUseHealthPaths(new Manifest(dev))).singleElement().asString()
                .contains("gateway-service liveness probe asks /health instead of /q/health/live");
    }

    @Test
    void readinessProbeOnTheLivenessPathIsReported() {
        container(dev, "feed-service").getReadinessProbe().getHttpGet().setPath("/q/health/live");

        assertThat(checks.probesUseHealthPaths(new Manifest(dev))).singleElement().asString()
                .contains("readiness probe asks /q/health/live instead of /q/health/ready");
    }

    @Test
    void probeOnThePublicPortIsReported() {
        Container feed = container(dev, "feed-service");
        for (var probe : List.of(feed.getReadinessProbe(), feed.getLivenessProbe(), feed.getStartupProbe())) {
            probe.getHttpGet().setPort(new IntOrString("http"));
        }

        assertThat(checks.probesUseHealthPaths(new Manifest(dev))).hasSize(3)
                .allSatisfy(p -> assertThat(p).contains("is not the port feed-service serves health on (9081)"));
    }

    @Test
    void missingProbeIsReported() {
        container(prod, "gateway-service").setReadinessProbe(null);

        assertThat(checks.probesUseHealthPaths(new Manifest(prod))).singleElement().asString()
                .contains("gateway-service readiness probe asks no HTTP path instead of /q/health/ready");
    }

    @Test
    void imageThatNoModuleBuildsIsReported() {
        container(prod, "gateway-service").setImage("registry.example.com/eventfeeds/gateway:0.1.0");

        assertThat(checks.imagesNameTheirModules(new Manifest(prod))).singleElement().asString()
                .contains("runs image registry.example.com/eventfeeds/gateway:0.1.0, which no module builds");
    }

    @Test
    void swappedImagesAreReported() {
        container(dev, "feed-service").setImage("eventfeeds/gateway-service:latest");

        assertThat(checks.imagesNameTheirModules(new Manifest(dev))).singleElement().asString()
                .contains("Deployment feed-service container feed-service runs the image of gateway-service");
    }

    @Test
    void aServicePortOnTheManagementPortIsReported() {
        Service feed = Objects.named(Objects.ofKind(prod, Service.class), "feed-service").orElseThrow();
        feed.getSpec().getPorts().add(new ServicePortBuilder().withName("metrics").withPort(9081)
                .withTargetPort(new IntOrString("management")).build());

        assertThat(checks.servicesExposeNoManagementPort(new Manifest(prod))).singleElement().asString()
                .isEqualTo("Service feed-service port metrics exposes feed-service's management port 9081 (health, "
                        + "metrics, OpenAPI)");
    }

    @Test
    void anIngressPathThatExposesTheServicesQuarkusEndpointsIsReported() {
        ingressPath(prod, "/").setPathType("Prefix");

        assertThat(checks.ingressRoutesNoPrivatePath(new Manifest(prod))).hasSize(ManifestChecks.PRIVATE_SERVICE_PATHS.size())
                .allSatisfy(p -> assertThat(p).startsWith("Ingress eventfeeds path / (Prefix) exposes gateway-service's /q/"));
    }

    @Test
    void anIngressPathThatExposesKeycloaksAdminOrMasterRealmIsReported() {
        ingressPath(prod, "/realms/feeds").setPath("/realms");
        ingressPath(prod, "/resources").setPath("/");

        assertThat(checks.ingressRoutesNoPrivatePath(new Manifest(prod)))
                .contains("Ingress eventfeeds path /realms (Prefix) exposes keycloak-service's "
                        + "/realms/master/protocol/openid-connect/token")
                .contains("Ingress eventfeeds path / (Prefix) exposes keycloak-service's /admin/master/console/")
                .hasSize(1 + ManifestChecks.PRIVATE_KEYCLOAK_PATHS.size());
    }

    @Test
    void missingDefaultDenyAndAPodOpenToEverySourceAreReported() {
        prod.removeIf(o -> o instanceof NetworkPolicy && o.getMetadata().getName().equals("default-deny-ingress"));
        Rendered.one(prod, NetworkPolicy.class, "keycloak-from-ingress-and-services").getSpec().getIngress().get(0)
                .setFrom(List.of());

        assertThat(checks.networkDeniesByDefault(new Manifest(prod))).containsExactly(
                "no NetworkPolicy denies ingress by default: every pod would be reachable",
                "NetworkPolicy keycloak-from-ingress-and-services opens {\"app\":\"keycloak\"} to every source");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kafkaWithoutAuthenticationOrAuthorizationIsReported() {
        GenericKubernetesResource kafka = Objects.custom(prod, "Kafka").get(0);
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) kafka.getAdditionalProperties().get("spec")).get("kafka");
        ((Map<String, Object>) ((List<Object>) spec.get("listeners")).get(0)).remove("authentication");
        spec.remove("authorization");

        assertThat(checks.kafkaAuthenticatesAndAuthorizes(new Manifest(prod))).containsExactlyInAnyOrder(
                "Kafka events listener plain accepts clients without authentication",
                "Kafka events authorizes nothing (spec.kafka.authorization.type: simple)");
    }

    @Test
    void aKafkaUserOtherThanTheServicesOnTheEventTopicIsReported() {
        GenericKubernetesResource user = Objects.named(Objects.custom(prod, "KafkaUser"), "feed-service").orElseThrow();
        user.getMetadata().setName("reporting-job");

        assertThat(checks.kafkaAuthenticatesAndAuthorizes(new Manifest(prod))).containsExactlyInAnyOrder(
                "KafkaUser reporting-job may Describe the event topic feeds.events",
                "KafkaUser reporting-job may Write the event topic feeds.events",
                "KafkaUser reporting-job may Read the event topic feeds.events");
    }

    @Test
    void productionServicesThatAcceptEveryClientOfTheRealmAreReported() {
        Rendered.one(prod, ConfigMap.class, "eventfeeds-config").getData().remove(ManifestChecks.ALLOWED_CLIENTS);

        assertThat(checks.productionAllowsOnlyListedClients(new Manifest(prod))).containsExactlyInAnyOrder(
                "Deployment feed-service accepts tokens of every client of the realm (set FEEDS_AUTH_ALLOWED_CLIENTS)",
                "Deployment gateway-service accepts tokens of every client of the realm (set FEEDS_AUTH_ALLOWED_CLIENTS)");
    }

    private static HTTPIngressPath ingressPath(List<HasMetadata> objects, String path) {
        return Rendered.one(objects, Ingress.class, "eventfeeds").getSpec().getRules().stream()
                .flatMap(rule -> rule.getHttp().getPaths().stream()).filter(p -> path.equals(p.getPath()))
                .findFirst().orElseThrow();
    }

    @Test
    void environmentVariableTheServiceDoesNotReadIsReported() {
        Rendered.one(dev, ConfigMap.class, "eventfeeds-config").getData().put("KAFKA_BOOTSTRAP_SERVER", "x:9092");

        assertThat(checks.environmentFitsTheService(new Manifest(dev))).hasSize(2)
                .allSatisfy(p -> assertThat(p).contains("sets KAFKA_BOOTSTRAP_SERVER, which").contains("does not read"));
    }

    @Test
    void environmentVariablesOfConfigMappingsAreAccepted() {
        container(dev, "gateway-service").getEnv().add(new EnvVarBuilder()
                .withName("FEEDS_CHANNELS_NAMESPACE_SCORES_READ").withValue("subscriber").build());
        container(dev, "gateway-service").getEnv().add(new EnvVarBuilder()
                .withName("FEEDS_THROTTLE_DEFAULT_PER_SECOND").withValue("20").build());

        assertThat(checks.environmentFitsTheService(new Manifest(dev))).isEmpty();
    }

    @Test
    void missingMemoryLimitIsReportedAndAWritableRootNeedsNoTmpVolume() {
        container(prod, "gateway-service").getSecurityContext().setReadOnlyRootFilesystem(false);
        container(prod, "gateway-service").setVolumeMounts(List.of());
        container(prod, "gateway-service").getResources().getLimits().remove("memory");

        assertThat(checks.podsHaveResourcesAndTmp(new Manifest(prod))).containsExactly(
                "Deployment gateway-service container gateway-service has no memory request or limit",
                "Deployment gateway-service container gateway-service has a memory request other than its limit: the gateway"
                        + " needs Guaranteed QoS");
    }

    @Test
    void gatewayJvmOptionsOtherThanItsJvmOptionsFileAreReported() {
        Map<String, String> jvm = Rendered.one(prod, ConfigMap.class, "gateway-service-jvm").getData();
        jvm.put("JAVA_OPTS", jvm.get("JAVA_OPTS").replace("-Xmx1g", "-Xmx2g"));

        assertThat(checks.environmentFitsTheService(new Manifest(prod))).singleElement().asString()
                .startsWith("Deployment gateway-service container gateway-service JAVA_OPTS is [").contains("-Xmx2g")
                .contains("but gateway-service/jvm.options defines [").contains("-Xmx1g");
    }

    @Test
    void gatewayWithoutItsJvmOptionsIsReported() {
        container(dev, "gateway-service").getEnvFrom().removeIf(from -> from.getConfigMapRef() != null
                && "gateway-service-jvm".equals(from.getConfigMapRef().getName()));

        assertThat(checks.environmentFitsTheService(new Manifest(dev))).containsExactly("Deployment gateway-service container"
                + " gateway-service does not set JAVA_OPTS: it would run with the image's default JVM options instead of"
                + " gateway-service/jvm.options");
    }

    @Test
    void gatewayCpuRequestBelowItsLimitIsReported() {
        container(prod, "gateway-service").getResources().getRequests().put("cpu", new Quantity("500m"));

        assertThat(checks.podsHaveResourcesAndTmp(new Manifest(prod))).containsExactly("Deployment gateway-service container"
                + " gateway-service has a cpu request other than its limit: the gateway needs Guaranteed QoS");
    }

    @Test
    void gatewayRequestEqualToItsLimitInOtherUnitsIsAccepted() {
        container(prod, "gateway-service").getResources().getRequests().put("cpu", new Quantity("2000m"));
        container(prod, "gateway-service").getResources().getRequests().put("memory", new Quantity("2048Mi"));

        assertThat(checks.podsHaveResourcesAndTmp(new Manifest(prod))).isEmpty();
    }

    @Test
    void gracePeriodTooShortForDrainingIsReported() {
        deployment(prod, "gateway-service").getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(10L);

        assertThat(checks.gatewayDrainsAndScales(new Manifest(prod))).singleElement().asString()
                .contains("terminationGracePeriodSeconds 10 is shorter than preStop (5 s) + connection draining");
    }

    @Test
    void ingressTimeoutWithinThePingIntervalIsReported() {
        Ingress ingress = Rendered.one(dev, Ingress.class, "eventfeeds");
        ingress.getMetadata().getAnnotations().put("nginx.ingress.kubernetes.io/proxy-read-timeout", "20");

        assertThat(checks.servicesFitTheIngress(new Manifest(dev))).containsExactly(
                "Ingress eventfeeds nginx.ingress.kubernetes.io/proxy-read-timeout is 20: idle WebSockets need more than the"
                        + " gateway's ping interval, 25 s");
    }

    @Test
    @SuppressWarnings("unchecked")
    void topicThatDriftsFromThePlatformIsReported() {
        GenericKubernetesResource topic = Objects.custom(prod, "KafkaTopic").get(0);
        Map<String, Object> spec = (Map<String, Object>) topic.getAdditionalProperties().get("spec");
        spec.put("partitions", 3);
        ((Map<String, Object>) spec.get("config")).put("min.insync.replicas", 4);

        assertThat(checks.kafkaMatchesThePlatform(new Manifest(prod))).containsExactly(
                "KafkaTopic feeds.events partitions is 3, not 6 (./platform's EVENTS_TOPIC_PARTITIONS)",
                "KafkaTopic feeds.events requires more in-sync replicas than it has: no write would ever be acknowledged");
    }

    @Test
    @SuppressWarnings("unchecked")
    void keycloakHostnameThatIsNotItsIngressIsReported() {
        GenericKubernetesResource keycloak = Objects.custom(prod, "Keycloak").get(0);
        Map<String, Object> hostname = (Map<String, Object>) ((Map<String, Object>) keycloak.getAdditionalProperties()
                .get("spec")).get("hostname");
        hostname.put("hostname", "https://keycloak.example.com");

        assertThat(checks.keycloakMatchesTheServices(new Manifest(prod))).singleElement().asString()
                .isEqualTo("Keycloak hostname is https://keycloak.example.com, not https://auth.feeds.example.com (its Ingress URL)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void realmImportThatDriftsFromAuthConfigIsReported() {
        GenericKubernetesResource realmImport = Objects.custom(dev, "KeycloakRealmImport").get(0);
        Map<String, Object> realm = (Map<String, Object>) ((Map<String, Object>) realmImport.getAdditionalProperties()
                .get("spec")).get("realm");
        realm.put("accessTokenLifespan", 3600);

        assertThat(checks.realmImportMatchesAuthConfig(new Manifest(dev), Overlay.DEV)).singleElement().asString()
                .contains("KeycloakRealmImport feeds-realm in k8s/overlays/dev differs from auth-config/")
                .contains("./mvnw -q -pl deploy-tests -am process-classes -Drealm-imports");
    }

    @Test
    void demoRealmInTheProdOverlayIsReported() {
        GenericKubernetesResource demo = Objects.custom(dev, "KeycloakRealmImport").get(0);
        prod.removeIf(o -> "KeycloakRealmImport".equals(o.getKind()));
        prod.add(demo);

        assertThat(checks.realmImportMatchesAuthConfig(new Manifest(prod), Overlay.PROD)).singleElement().asString()
                .contains("differs from");
        assertThat(checks.productionCarriesNoSecrets(new Manifest(prod))).containsExactly(
                "the prod realm import contains users (demo accounts)",
                "the prod realm import contains a client secret or credentials");
    }

    @Test
    void secretInsideTheProdOverlayIsReported() {
        prod.add(new SecretBuilder().withNewMetadata().withName("keycloak-db").withNamespace("eventfeeds").endMetadata()
                .addToStringData("username", "keycloak").addToStringData("password", "hunter2").build());

        assertThat(checks.productionCarriesNoSecrets(new Manifest(prod))).containsExactly(
                "the prod overlay contains Secret keycloak-db: prod only references Secrets");
    }

    @Test
    void gatewayWhoseOriginAllowlistMissesTheIngressHostIsReported() {
        container(prod, "gateway-service").getEnv().removeIf(env -> env.getName().equals(ManifestChecks.ALLOWED_ORIGINS));

        assertThat(checks.servicesFitTheIngress(new Manifest(prod))).singleElement().asString()
                .contains("FEEDS_GATEWAY_SECURITY_ALLOWED_ORIGINS is null: it must allow https://feeds.example.com");

        container(prod, "gateway-service").getEnv().add(new EnvVarBuilder().withName(ManifestChecks.ALLOWED_ORIGINS)
                .withValue("https://other.example.com, https://feeds.example.com").build());
        assertThat(checks.servicesFitTheIngress(new Manifest(prod))).isEmpty();
    }

    @Test
    void everyMutationAboveBreaksTheWholeSuiteToo() {
        List<HasMetadata> broken = new ArrayList<>(dev);
        Rendered.one(broken, Deployment.class, "gateway-service").getSpec().setReplicas(2);

        assertThat(checks.all(broken, Overlay.DEV)).isNotEmpty();
    }
}
