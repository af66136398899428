package io.eventfeeds.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
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
        List<String> problems = new ArrayList<>();
        problems.addAll(healthchecks(compose));
        problems.addAll(dependencies(compose));
        problems.addAll(publishedPorts(compose));
        problems.addAll(environmentIsReadByTheService(compose));
        problems.addAll(realmIsImportedFromAuthConfig(compose));
        problems.addAll(imagesAndBuilds(compose));
        problems.addAll(servicesReachKafkaAndKeycloak(compose));
        problems.addAll(demoDataIsOn(compose));
        problems.addAll(jvmOptionsAreTheModules(compose));
        return problems;
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

    public List<String> healthchecks(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        for (Service s : services(compose)) {
            JsonNode test = s.node().at("/healthcheck/test");
            if (s.oneShot()) {
                continue;
            }
            if (test.isMissingNode() || s.node().at("/healthcheck/disable").asBoolean() || "NONE".equals(test.path(0).asText())) {
                problems.add("service " + s.name() + " has no healthcheck");
            } else if (s.config().isPresent()) {
                ServiceConfig config = s.config().get();
                String command = test.isArray() ? test.toString() : test.asText();
                int port = config.managementInterface() ? config.healthPort() : s.port();
                if (!command.contains(config.readinessPath())) {
                    problems.add("service " + s.name() + " healthcheck does not ask the readiness path " + config.readinessPath());
                }
                if (!command.matches(".*\\b" + port + "\\b.*")) {
                    problems.add("service " + s.name() + " healthcheck does not ask port " + port + ", where "
                            + config.module() + " serves health");
                }
            }
        }
        return problems;
    }

    /** Services start once what they need is healthy (or, for a one-shot job, done), and the services need both. */
    public List<String> dependencies(JsonNode compose) {
        List<String> problems = new ArrayList<>();
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
                    if (!"no".equals(targetService.path("restart").asText("no"))) {
                        problems.add("service " + s.name() + " waits for " + target + " to complete, but it restarts");
                    }
                } else if (!condition.equals("service_healthy")) {
                    problems.add("service " + s.name() + " depends on " + target + " with condition '" + condition
                            + "' instead of service_healthy");
                }
            });
            for (String needed : s.config().isPresent() ? List.of(KAFKA, KEYCLOAK) : List.<String>of()) {
                if (!"service_healthy".equals(dependsOn.path(needed).path("condition").asText())) {
                    problems.add("service " + s.name() + " does not wait for " + needed + " to be healthy");
                }
            }
        }
        return problems;
    }

    /** Only the services and Keycloak are reachable from the host, each on the port it listens on. */
    public List<String> publishedPorts(JsonNode compose) {
        List<String> problems = new ArrayList<>();
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
                    if (target != s.port()) {
                        problems.add("service " + s.name() + " publishes container port " + target + ", but it listens on " + s.port());
                    }
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
        List<String> problems = new ArrayList<>();
        if (!ComposeFile.command(keycloak).contains("--import-realm")) {
            problems.add("service keycloak does not start with --import-realm");
        }
        boolean mounted = false;
        for (JsonNode volume : keycloak.path("volumes")) {
            String[] parts = volume.isTextual() ? volume.asText().split(":")
                    : new String[] {volume.path("source").asText(), volume.path("target").asText()};
            if (parts.length >= 2 && parts[1].startsWith(KEYCLOAK_IMPORT_DIR)) {
                Path source = repository.root().resolve(parts[0]).normalize();
                mounted |= source.equals(repository.resolve(Repository.REALM_FILE)) && Files.isRegularFile(source);
                if (!source.equals(repository.resolve(Repository.REALM_FILE)) || !Files.isRegularFile(source)) {
                    problems.add("service keycloak imports " + parts[0] + " instead of ./" + Repository.REALM_FILE);
                }
            }
        }
        if (!mounted && problems.isEmpty()) {
            problems.add("service keycloak does not mount ./" + Repository.REALM_FILE + " into " + KEYCLOAK_IMPORT_DIR);
        }
        return problems;
    }

    /** The services are built from their module's Dockerfile and tagged after it; Kafka and Keycloak run the pom's versions. */
    public List<String> imagesAndBuilds(JsonNode compose) {
        Map<String, String> platformImages = Map.of(KAFKA, "apache/kafka:" + repository.pomProperty("kafka.version"),
                "kafka-init", "apache/kafka:" + repository.pomProperty("kafka.version"),
                KEYCLOAK, "quay.io/keycloak/keycloak:" + repository.pomProperty("keycloak.version"));
        List<String> problems = new ArrayList<>();
        for (Service s : services(compose)) {
            String image = s.node().path("image").asText("");
            if (s.config().isPresent()) {
                String context = s.node().at("/build/context").asText("");
                String dockerfile = s.node().at("/build/dockerfile").asText("");
                Path file = repository.root().resolve(context).resolve(dockerfile).normalize();
                if (!file.startsWith(repository.resolve(s.name() + "/src/main/docker")) || !Files.isRegularFile(file)) {
                    problems.add("service " + s.name() + " builds from " + context + "/" + dockerfile + ", which is not a"
                            + " Dockerfile of module " + s.name() + " (" + s.name() + "/src/main/docker/)");
                }
                if (!ManifestChecks.imageModule(image).equals(s.name())) {
                    problems.add("service " + s.name() + " tags its image " + image + ", which does not name the module");
                }
            } else if (platformImages.containsKey(s.name()) && !image.equals(platformImages.get(s.name()))) {
                problems.add("service " + s.name() + " runs " + image + ", not the platform's " + platformImages.get(s.name()));
            }
        }
        return problems;
    }

    /**
     * The services' Kafka and Keycloak addresses are the ones those containers advertise, and Keycloak's public
     * hostname (every token's issuer) is the address it is published on.
     */
    public List<String> servicesReachKafkaAndKeycloak(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        JsonNode keycloak = compose.path("services").path(KEYCLOAK);
        Map<String, String> keycloakEnv = ComposeFile.environment(keycloak);
        String advertised = ComposeFile.environment(compose.path("services").path(KAFKA)).getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
        String bootstrap = advertised.replaceFirst("^PLAINTEXT://", "").split(",")[0];
        int keycloakPort = Integer.parseInt(keycloakEnv.getOrDefault("KC_HTTP_PORT", "8080"));
        String oidc = "http://" + KEYCLOAK + ":" + keycloakPort + "/realms/"
                + RealmImports.readRealm(repository.read(Repository.REALM_FILE)).path("realm").asText();
        for (Service s : services(compose)) {
            if (s.config().isPresent() && !bootstrap.equals(s.env().get("KAFKA_BOOTSTRAP_SERVERS"))) {
                problems.add("service " + s.name() + " KAFKA_BOOTSTRAP_SERVERS is " + s.env().get("KAFKA_BOOTSTRAP_SERVERS")
                        + ", but Kafka advertises " + bootstrap);
            }
            if (s.config().isPresent() && !oidc.equals(s.env().get("QUARKUS_OIDC_AUTH_SERVER_URL"))) {
                problems.add("service " + s.name() + " QUARKUS_OIDC_AUTH_SERVER_URL is "
                        + s.env().get("QUARKUS_OIDC_AUTH_SERVER_URL") + ", expected " + oidc);
            }
        }
        String hostname = keycloakEnv.getOrDefault("KC_HOSTNAME", "");
        String published = null;
        for (JsonNode port : keycloak.path("ports")) {
            published = port.isObject() ? port.path("published").asText() : last(port.asText(), 2);
        }
        try {
            URI uri = URI.create(hostname);
            if (uri.getScheme() == null || !String.valueOf(uri.getPort()).equals(published == null ? "-1" : published)) {
                problems.add("service keycloak KC_HOSTNAME " + hostname + " is not the address it is published on (port "
                        + published + "): browsers would get tokens whose issuer they cannot reach");
            }
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
