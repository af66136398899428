package io.eventfeeds.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.deploy.Problems;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.JvmOptions;
import io.eventfeeds.deploy.config.ServiceConfig;
import io.eventfeeds.deploy.k8s.ManifestChecks;
import io.eventfeeds.deploy.realm.RealmImports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Cross-checks of docker-compose.yml against the services' configuration and the local platform. Each check returns
 * the problems it found, so that tests run it on the real file (none) and on a broken copy (exactly that problem).
 */
public final class ComposeChecks {

    public static final String KAFKA = "kafka";
    public static final String KEYCLOAK = "keycloak";
    /** The variable that turns a service's demo data on, where a service has such a switch (feeds.demo.enabled). */
    public static final String DEMO_SWITCH = "FEEDS_DEMO_ENABLED";
    private static final String KEYCLOAK_IMPORT_DIR = "/opt/keycloak/data/import/";

    private final Repository repository;
    private final Map<String, ServiceConfig> configs = new HashMap<>();

    public ComposeChecks(Repository repository) {
        this.repository = repository;
    }

    public List<String> all(JsonNode compose) {
        return Stream.<Function<JsonNode, List<String>>>of(this::healthchecks, this::dependencies, this::publishedPorts,
                this::environmentIsReadByTheService, this::realmIsImportedFromAuthConfig, this::imagesAndBuilds,
                this::servicesReachKafkaAndKeycloak, this::demoDataIsOn, this::jvmOptionsAreTheModules)
                .flatMap(check -> check.apply(compose).stream()).toList();
    }

    /** A service of the file, with its module's configuration when it runs one of the project's services. */
    private record Service(String name, JsonNode node, Optional<ServiceConfig> config, Map<String, String> env, boolean oneShot) {
        /** The port it listens on: its QUARKUS_HTTP_PORT, its module's port, or Keycloak's KC_HTTP_PORT. */
        int port() {
            String override = env.getOrDefault("QUARKUS_HTTP_PORT", env.get("KC_HTTP_PORT"));
            return override != null ? Integer.parseInt(override) : config.map(ServiceConfig::httpPort).orElse(8080);
        }
    }

    private List<Service> services(JsonNode compose) {
        List<Service> services = new ArrayList<>();
        compose.path("services").fields().forEachRemaining(f -> services.add(new Service(f.getKey(), f.getValue(),
                config(f.getKey()), ComposeFile.environment(f.getValue()), isOneShot(compose, f.getKey()))));
        return services;
    }

    private Optional<ServiceConfig> config(String name) {
        return ServiceConfig.isServiceModule(repository, name)
                ? Optional.of(configs.computeIfAbsent(name, m -> ServiceConfig.of(repository, m))) : Optional.empty();
    }

    /** A job that runs once: it does not restart, and others wait for it to complete rather than to be healthy. */
    private static boolean isOneShot(JsonNode compose, String name) {
        List<String> conditions = new ArrayList<>();
        compose.path("services").forEach(s -> conditions.add(s.path("depends_on").path(name).path("condition").asText("")));
        conditions.removeIf(String::isEmpty);
        return "no".equals(compose.path("services").path(name).path("restart").asText("no")) && !conditions.isEmpty()
                && conditions.stream().allMatch("service_completed_successfully"::equals);
    }

    /** Every long-running service has a healthcheck; the project's services' ask their readiness path and health port. */
    public List<String> healthchecks(JsonNode compose) {
        Problems problems = new Problems();
        for (Service s : services(compose)) {
            JsonNode test = s.node().at("/healthcheck/test");
            boolean none = test.isMissingNode() || s.node().at("/healthcheck/disable").asBoolean() || "NONE".equals(test.path(0).asText());
            problems.unless(s.oneShot() || !none, "service " + s.name() + " has no healthcheck");
            s.config().filter(c -> !s.oneShot() && !none).ifPresent(config -> {
                String command = test.isArray() ? test.toString() : test.asText();
                int port = config.managementInterface() ? config.healthPort() : s.port();
                problems.unless(command.contains(config.readinessPath()),
                        "service " + s.name() + " healthcheck does not ask the readiness path " + config.readinessPath());
                problems.unless(command.matches(".*\\b" + port + "\\b.*"), "service " + s.name() + " healthcheck does not ask port "
                        + port + ", where " + config.module() + " serves health");
            });
        }
        return problems;
    }

    /** Services start once what they need is healthy (or, for a one-shot job, done), and the services need both. */
    public List<String> dependencies(JsonNode compose) {
        Problems problems = new Problems();
        for (Service s : services(compose)) {
            JsonNode dependsOn = s.node().path("depends_on");
            if (dependsOn.isArray()) {
                problems.add("service " + s.name() + " lists depends_on without conditions: it would start before "
                        + dependsOn + " are ready (use condition: service_healthy)");
                continue;
            }
            dependsOn.fields().forEachRemaining(dependency -> {
                String target = dependency.getKey();
                String condition = dependency.getValue().path("condition").asText("");
                JsonNode targetService = compose.path("services").path(target);
                if (targetService.isMissingNode()) {
                    problems.add("service " + s.name() + " depends on " + target + ", which does not exist");
                } else if (condition.equals("service_healthy") && targetService.path("healthcheck").isMissingNode()) {
                    problems.add("service " + s.name() + " waits for " + target + " to be healthy, but it has no healthcheck");
                } else if (condition.equals("service_completed_successfully")) {
                    problems.unless("no".equals(targetService.path("restart").asText("no")),
                            "service " + s.name() + " waits for " + target + " to complete, but it restarts");
                } else if (!condition.equals("service_healthy")) {
                    problems.add("service " + s.name() + " depends on " + target + " with condition '" + condition
                            + "' instead of service_healthy");
                }
            });
            for (String needed : s.config().isPresent() ? List.of(KAFKA, KEYCLOAK) : List.<String>of()) {
                problems.unless("service_healthy".equals(dependsOn.path(needed).path("condition").asText()),
                        "service " + s.name() + " does not wait for " + needed + " to be healthy");
            }
        }
        return problems;
    }

    /** Only the services and Keycloak are reachable from the host, each on the port it listens on. */
    public List<String> publishedPorts(JsonNode compose) {
        Problems problems = new Problems();
        for (Service s : services(compose)) {
            JsonNode ports = s.node().path("ports");
            boolean published = s.config().isPresent() || s.name().equals(KEYCLOAK);
            if (published && ports.isEmpty()) {
                problems.add("service " + s.name() + " publishes no port");
            } else if (!published && !ports.isEmpty()) {
                problems.add("service " + s.name() + " publishes " + ports
                        + ": only the gateway, feed-service and Keycloak may be reachable from the host");
            } else {
                ports.forEach(port -> {
                    int target = port.isObject() ? port.path("target").asInt() : Integer.parseInt(last(port.asText(), 1));
                    problems.unless(target == s.port(),
                            "service " + s.name() + " publishes container port " + target + ", but it listens on " + s.port());
                });
            }
        }
        return problems;
    }

    /** The {@code n}th part from the end of a short port mapping ("127.0.0.1:8080:8080/tcp"), or null. */
    private static String last(String mapping, int n) {
        String[] parts = mapping.split("/")[0].split(":");
        return parts.length >= n ? parts[parts.length - n] : null;
    }

    public List<String> environmentIsReadByTheService(JsonNode compose) {
        return services(compose).stream().filter(s -> s.config().isPresent()).flatMap(s -> s.env().keySet().stream()
                .filter(variable -> !s.config().get().reads(variable))
                .map(variable -> "service " + s.name() + " sets " + variable + ", which " + s.config().get().module()
                        + " does not read (no such key in its configuration)")).toList();
    }

    /** Keycloak imports auth-config's realm file itself, the one the Kubernetes imports are generated from. */
    public List<String> realmIsImportedFromAuthConfig(JsonNode compose) {
        JsonNode keycloak = compose.path("services").path(KEYCLOAK);
        if (keycloak.isMissingNode()) {
            return List.of("no service " + KEYCLOAK);
        }
        Problems problems = new Problems();
        problems.unless(ComposeFile.command(keycloak).contains("--import-realm"), "service keycloak does not start with --import-realm");
        Path realm = repository.resolve(Repository.REALM_FILE);
        List<String> imported = new ArrayList<>();
        for (JsonNode volume : keycloak.path("volumes")) {
            String[] parts = volume.isTextual() ? volume.asText().split(":")
                    : new String[] {volume.path("source").asText(), volume.path("target").asText()};
            if (parts.length >= 2 && parts[1].startsWith(KEYCLOAK_IMPORT_DIR)) {
                imported.add(parts[0]);
                problems.unless(repository.root().resolve(parts[0]).normalize().equals(realm) && Files.isRegularFile(realm),
                        "service keycloak imports " + parts[0] + " instead of ./" + Repository.REALM_FILE);
            }
        }
        problems.unless(!imported.isEmpty() || !problems.isEmpty(),
                "service keycloak does not mount ./" + Repository.REALM_FILE + " into " + KEYCLOAK_IMPORT_DIR);
        return problems;
    }

    /** The services are built from their module's Dockerfile and tagged after it; Kafka and Keycloak run the pom's versions. */
    public List<String> imagesAndBuilds(JsonNode compose) {
        Map<String, String> platformImages = Map.of(KAFKA, "apache/kafka:" + repository.pomProperty("kafka.version"),
                "kafka-init", "apache/kafka:" + repository.pomProperty("kafka.version"),
                KEYCLOAK, "quay.io/keycloak/keycloak:" + repository.pomProperty("keycloak.version"));
        Problems problems = new Problems();
        for (Service s : services(compose)) {
            String image = s.node().path("image").asText("");
            if (s.config().isPresent()) {
                String context = s.node().at("/build/context").asText("");
                String dockerfile = s.node().at("/build/dockerfile").asText("");
                Path file = repository.root().resolve(context).resolve(dockerfile).normalize();
                problems.unless(file.startsWith(repository.resolve(s.name() + "/src/main/docker")) && Files.isRegularFile(file),
                        "service " + s.name() + " builds from " + context + "/" + dockerfile + ", which is not a Dockerfile of"
                                + " module " + s.name() + " (" + s.name() + "/src/main/docker/)");
                problems.unless(ManifestChecks.imageModule(image).equals(s.name()),
                        "service " + s.name() + " tags its image " + image + ", which does not name the module");
            } else {
                problems.unless(image.equals(platformImages.getOrDefault(s.name(), image)),
                        "service " + s.name() + " runs " + image + ", not the platform's " + platformImages.get(s.name()));
            }
        }
        return problems;
    }

    /**
     * The services' Kafka and Keycloak addresses are the ones those containers advertise, and Keycloak's public
     * hostname (every token's issuer) is the address it is published on.
     */
    public List<String> servicesReachKafkaAndKeycloak(JsonNode compose) {
        Problems problems = new Problems();
        JsonNode keycloak = compose.path("services").path(KEYCLOAK);
        Map<String, String> keycloakEnv = ComposeFile.environment(keycloak);
        String advertised = ComposeFile.environment(compose.path("services").path(KAFKA)).getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
        String bootstrap = advertised.replaceFirst("^PLAINTEXT://", "").split(",")[0];
        int keycloakPort = Integer.parseInt(keycloakEnv.getOrDefault("KC_HTTP_PORT", "8080"));
        String oidc = "http://" + KEYCLOAK + ":" + keycloakPort + "/realms/"
                + RealmImports.readRealm(repository.read(Repository.REALM_FILE)).path("realm").asText();
        services(compose).stream().filter(s -> s.config().isPresent()).forEach(s -> {
            problems.unless(bootstrap.equals(s.env().get("KAFKA_BOOTSTRAP_SERVERS")), "service " + s.name()
                    + " KAFKA_BOOTSTRAP_SERVERS is " + s.env().get("KAFKA_BOOTSTRAP_SERVERS") + ", but Kafka advertises " + bootstrap);
            problems.unless(oidc.equals(s.env().get("QUARKUS_OIDC_AUTH_SERVER_URL")), "service " + s.name()
                    + " QUARKUS_OIDC_AUTH_SERVER_URL is " + s.env().get("QUARKUS_OIDC_AUTH_SERVER_URL") + ", expected " + oidc);
        });
        String hostname = keycloakEnv.getOrDefault("KC_HOSTNAME", "");
        String published = null;
        for (JsonNode port : keycloak.path("ports")) {
            published = port.isObject() ? port.path("published").asText() : last(port.asText(), 2);
        }
        try {
            URI uri = URI.create(hostname);
            problems.unless(uri.getScheme() != null && String.valueOf(uri.getPort()).equals(published == null ? "-1" : published),
                    "service keycloak KC_HOSTNAME " + hostname + " is not the address it is published on (port " + published
                            + "): browsers would get tokens whose issuer they cannot reach");
        } catch (IllegalArgumentException e) {
            problems.add("service keycloak KC_HOSTNAME " + hostname + " is not a URL");
        }
        return problems;
    }

    /** docker compose up brings up a platform with demo data: every service that has a demo switch gets it on. */
    public List<String> demoDataIsOn(JsonNode compose) {
        return services(compose).stream().filter(s -> s.config().isPresent() && s.config().get().reads(DEMO_SWITCH)
                && !"true".equals(s.env().get(DEMO_SWITCH))).map(s -> "service " + s.name() + " has demo data behind "
                        + DEMO_SWITCH + ", which compose does not turn on by default").toList();
    }

    /** A service whose module defines its JVM options (jvm.options) runs with exactly those. */
    public List<String> jvmOptionsAreTheModules(JsonNode compose) {
        return services(compose).stream().filter(s -> s.config().isPresent()).flatMap(s -> JvmOptions.mismatch(repository,
                s.name(), "service " + s.name(), s.env().get(JvmOptions.VARIABLE)).stream()).toList();
    }
}
