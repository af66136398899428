package io.eventfeeds.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.JvmOptions;
import io.eventfeeds.deploy.config.ServiceConfig;
import io.eventfeeds.deploy.realm.RealmImports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-checks of docker-compose.yml against the services' configuration and the local platform. Each check returns
 * the problems it found, so that tests run it on the real file (none) and on a broken copy (exactly that problem).
 */
public final class ComposeChecks {

    public static final String KAFKA = "kafka";
    public static final String KEYCLOAK = "keycloak";
    private static final String KEYCLOAK_IMPORT_DIR = "/opt/keycloak/data/import/";
    private static final Set<String> HEALTH_CONDITIONS = Set.of("service_healthy", "service_completed_successfully");
    private static final Set<String> RESTART_POLICIES = Set.of("always", "unless-stopped", "on-failure");

    private final Repository repository;
    private final Map<String, ServiceConfig> services = new HashMap<>();

    public ComposeChecks(Repository repository) {
        this.repository = repository;
    }

    public List<String> all(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        problems.addAll(healthchecks(compose));
        problems.addAll(dependencies(compose));
        problems.addAll(restartPolicies(compose));
        problems.addAll(publishedPorts(compose));
        problems.addAll(environmentIsReadByTheService(compose));
        problems.addAll(realmIsImportedFromAuthConfig(compose));
        problems.addAll(imagesAndBuilds(compose));
        problems.addAll(servicesReachKafkaAndKeycloak(compose));
        problems.addAll(demoDataIsOn(compose));
        problems.addAll(jvmOptionsAreTheModules(compose));
        return problems;
    }

    public List<String> healthchecks(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> {
            if (isOneShot(compose, name)) {
                return;
            }
            JsonNode test = service.path("healthcheck").path("test");
            if (test.isMissingNode() || service.path("healthcheck").path("disable").asBoolean(false)
                    || (test.isArray() && test.size() > 0 && "NONE".equals(test.get(0).asText()))) {
                problems.add("service " + name + " has no healthcheck");
                return;
            }
            Optional<ServiceConfig> config = config(name);
            if (config.isPresent()) {
                String command = test.isArray() ? test.toString() : test.asText();
                String port = String.valueOf(config.get().managementInterface() ? config.get().healthPort()
                        : listeningPort(service, config.get()));
                if (!command.contains(config.get().readinessPath())) {
                    problems.add("service " + name + " healthcheck does not ask the readiness path "
                            + config.get().readinessPath());
                }
                if (!command.matches(".*\\b" + port + "\\b.*")) {
                    problems.add("service " + name + " healthcheck does not ask port " + port
                            + ", where " + config.get().module() + " serves health");
                }
            }
        });
        return problems;
    }

    public List<String> dependencies(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> {
            JsonNode dependsOn = service.path("depends_on");
            if (dependsOn.isArray()) {
                problems.add("service " + name + " lists depends_on without conditions: it would start before "
                        + dependsOn + " are ready (use condition: service_healthy)");
                return;
            }
            dependsOn.fields().forEachRemaining(dependency -> {
                String target = dependency.getKey();
                String condition = dependency.getValue().path("condition").asText("");
                JsonNode targetService = compose.path("services").path(target);
                if (targetService.isMissingNode()) {
                    problems.add("service " + name + " depends on " + target + ", which does not exist");
                } else if (!HEALTH_CONDITIONS.contains(condition)) {
                    problems.add("service " + name + " depends on " + target + " with condition '" + condition
                            + "' instead of service_healthy");
                } else if (condition.equals("service_healthy") && targetService.path("healthcheck").isMissingNode()) {
                    problems.add("service " + name + " waits for " + target + " to be healthy, but it has no healthcheck");
                } else if (condition.equals("service_completed_successfully")
                        && !"no".equals(targetService.path("restart").asText("no"))) {
                    problems.add("service " + name + " waits for " + target + " to complete, but it restarts");
                }
            });
            if (config(name).isPresent()) {
                for (String needed : List.of(KAFKA, KEYCLOAK)) {
                    if (!"service_healthy".equals(dependsOn.path(needed).path("condition").asText())) {
                        problems.add("service " + name + " does not wait for " + needed + " to be healthy");
                    }
                }
            }
        });
        return problems;
    }

    public List<String> restartPolicies(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> {
            String restart = service.path("restart").asText("no").split(":")[0];
            if (!isOneShot(compose, name) && !RESTART_POLICIES.contains(restart)) {
                problems.add("service " + name + " has restart policy '" + restart + "': it would stay down after a crash");
            }
        });
        return problems;
    }

    public List<String> publishedPorts(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> {
            JsonNode ports = service.path("ports");
            if (ports.isMissingNode() || ports.isEmpty()) {
                if (config(name).isPresent() || name.equals(KEYCLOAK)) {
                    problems.add("service " + name + " publishes no port");
                }
                return;
            }
            if (config(name).isEmpty() && !name.equals(KEYCLOAK)) {
                problems.add("service " + name + " publishes " + ports
                        + ": only the gateway, feed-service and Keycloak may be reachable from the host");
                return;
            }
            int expected = config(name).map(c -> listeningPort(service, c)).orElseGet(() -> keycloakPort(service));
            for (JsonNode port : ports) {
                int target = containerPort(port);
                if (target != expected) {
                    problems.add("service " + name + " publishes container port " + target + ", but it listens on " + expected);
                }
            }
        });
        return problems;
    }

    public List<String> environmentIsReadByTheService(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> config(name).ifPresent(config -> {
            for (String variable : ComposeFile.environment(service).keySet()) {
                if (!config.reads(variable)) {
                    problems.add("service " + name + " sets " + variable + ", which " + config.module()
                            + " does not read (no such key in its configuration)");
                }
            }
        }));
        return problems;
    }

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
            if (parts.length < 2 || !parts[1].startsWith(KEYCLOAK_IMPORT_DIR)) {
                continue;
            }
            Path source = repository.root().resolve(parts[0]).normalize();
            if (source.equals(repository.resolve(Repository.REALM_FILE)) && Files.isRegularFile(source)) {
                mounted = true;
            } else {
                problems.add("service keycloak imports " + parts[0] + " instead of ./" + Repository.REALM_FILE);
            }
        }
        if (!mounted && problems.isEmpty()) {
            problems.add("service keycloak does not mount ./" + Repository.REALM_FILE + " into "
                    + KEYCLOAK_IMPORT_DIR);
        }
        return problems;
    }

    public List<String> imagesAndBuilds(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> {
            String image = service.path("image").asText("");
            if (config(name).isPresent()) {
                String dockerfile = service.path("build").path("dockerfile").asText("");
                String context = service.path("build").path("context").asText("");
                Path file = repository.root().resolve(context).resolve(dockerfile).normalize();
                if (!file.startsWith(repository.resolve(name + "/src/main/docker")) || !Files.isRegularFile(file)) {
                    problems.add("service " + name + " builds from " + context + "/" + dockerfile
                            + ", which is not a Dockerfile of module " + name + " (" + name + "/src/main/docker/)");
                }
                if (!io.eventfeeds.deploy.k8s.ManifestChecks.imageModule(image).equals(name)) {
                    problems.add("service " + name + " tags its image " + image + ", which does not name the module");
                }
            } else if (name.equals(KAFKA) || name.equals("kafka-init")) {
                String expected = "apache/kafka:" + repository.pomProperty("kafka.version");
                if (!image.equals(expected)) {
                    problems.add("service " + name + " runs " + image + ", not the platform's " + expected);
                }
            } else if (name.equals(KEYCLOAK)) {
                String expected = "quay.io/keycloak/keycloak:" + repository.pomProperty("keycloak.version");
                if (!image.equals(expected)) {
                    problems.add("service keycloak runs " + image + ", not the platform's " + expected);
                }
            }
        });
        return problems;
    }

    /**
     * The services' Kafka and Keycloak addresses are the ones those containers advertise, and Keycloak's public
     * hostname (every token's issuer) is the address it is published on.
     */
    public List<String> servicesReachKafkaAndKeycloak(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        JsonNode kafka = compose.path("services").path(KAFKA);
        JsonNode keycloak = compose.path("services").path(KEYCLOAK);
        Map<String, String> kafkaEnv = ComposeFile.environment(kafka);
        Map<String, String> keycloakEnv = ComposeFile.environment(keycloak);
        String advertised = kafkaEnv.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
        String bootstrap = advertised.replaceFirst("^PLAINTEXT://", "").split(",")[0];
        String realm = RealmImports.readRealm(repository.read(Repository.REALM_FILE)).path("realm").asText();
        String oidc = "http://" + KEYCLOAK + ":" + keycloakPort(keycloak) + "/realms/" + realm;
        forEachService(compose, (name, service) -> config(name).ifPresent(config -> {
            Map<String, String> env = ComposeFile.environment(service);
            if (!bootstrap.equals(env.get("KAFKA_BOOTSTRAP_SERVERS"))) {
                problems.add("service " + name + " KAFKA_BOOTSTRAP_SERVERS is " + env.get("KAFKA_BOOTSTRAP_SERVERS")
                        + ", but Kafka advertises " + bootstrap);
            }
            if (!oidc.equals(env.get("QUARKUS_OIDC_AUTH_SERVER_URL"))) {
                problems.add("service " + name + " QUARKUS_OIDC_AUTH_SERVER_URL is " + env.get("QUARKUS_OIDC_AUTH_SERVER_URL")
                        + ", expected " + oidc);
            }
        }));
        String hostname = keycloakEnv.getOrDefault("KC_HOSTNAME", "");
        Integer published = null;
        for (JsonNode port : keycloak.path("ports")) {
            published = hostPort(port);
        }
        try {
            URI uri = URI.create(hostname);
            if (uri.getScheme() == null || uri.getPort() != (published == null ? -1 : published)) {
                problems.add("service keycloak KC_HOSTNAME " + hostname + " is not the address it is published on (port "
                        + published + "): browsers would get tokens whose issuer they cannot reach");
            }
        } catch (IllegalArgumentException e) {
            problems.add("service keycloak KC_HOSTNAME " + hostname + " is not a URL");
        }
        if (!"true".equals(keycloakEnv.get("KC_HOSTNAME_BACKCHANNEL_DYNAMIC"))) {
            problems.add("service keycloak does not set KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true: the services could not"
                    + " use http://keycloak:" + keycloakPort(keycloak) + " for JWKS and tokens");
        }
        return problems;
    }

    /** The variable that turns a service's demo data on, where a service has such a switch (feeds.demo.enabled). */
    public static final String DEMO_SWITCH = "FEEDS_DEMO_ENABLED";

    /** docker compose up brings up a platform with demo data: every service that has a demo switch gets it on. */
    public List<String> demoDataIsOn(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> config(name).ifPresent(config -> {
            if (config.reads(DEMO_SWITCH) && !"true".equals(ComposeFile.environment(service).get(DEMO_SWITCH))) {
                problems.add("service " + name + " has demo data behind " + DEMO_SWITCH + ", which compose does not"
                        + " turn on by default");
            }
        }));
        return problems;
    }

    /** A service whose module defines its JVM options (jvm.options) runs with exactly those. */
    public List<String> jvmOptionsAreTheModules(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        forEachService(compose, (name, service) -> config(name).ifPresent(config -> JvmOptions.mismatch(repository,
                config.module(), "service " + name, ComposeFile.environment(service).get(JvmOptions.VARIABLE))
                .ifPresent(problems::add)));
        return problems;
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private Optional<ServiceConfig> config(String serviceName) {
        if (!ServiceConfig.isServiceModule(repository, serviceName)) {
            return Optional.empty();
        }
        return Optional.of(services.computeIfAbsent(serviceName, m -> ServiceConfig.of(repository, m)));
    }

    /** A job that runs once: it does not restart, and others wait for it to complete rather than to be healthy. */
    private static boolean isOneShot(JsonNode compose, String name) {
        if (!"no".equals(compose.path("services").path(name).path("restart").asText("no"))) {
            return false;
        }
        boolean awaitedToComplete = false;
        for (Iterator<JsonNode> it = compose.path("services").elements(); it.hasNext();) {
            String condition = it.next().path("depends_on").path(name).path("condition").asText("");
            if (condition.equals("service_completed_successfully")) {
                awaitedToComplete = true;
            } else if (!condition.isEmpty()) {
                return false;
            }
        }
        return awaitedToComplete;
    }

    private static int listeningPort(JsonNode service, ServiceConfig config) {
        String override = ComposeFile.environment(service).get("QUARKUS_HTTP_PORT");
        return override != null ? Integer.parseInt(override) : config.httpPort();
    }

    private static int keycloakPort(JsonNode service) {
        return Integer.parseInt(ComposeFile.environment(service).getOrDefault("KC_HTTP_PORT", "8080"));
    }

    /** The container side of a port mapping ("127.0.0.1:8080:8080", "8080:8080", "8080" or the long form). */
    private static int containerPort(JsonNode port) {
        if (port.isObject()) {
            return port.path("target").asInt();
        }
        String[] parts = port.asText().split("/")[0].split(":");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    private static Integer hostPort(JsonNode port) {
        if (port.isObject()) {
            return port.path("published").asInt();
        }
        String[] parts = port.asText().split("/")[0].split(":");
        return parts.length >= 2 ? Integer.parseInt(parts[parts.length - 2]) : null;
    }

    private interface ServiceCheck {
        void check(String name, JsonNode service);
    }

    private static void forEachService(JsonNode compose, ServiceCheck check) {
        compose.path("services").fields().forEachRemaining(f -> check.check(f.getKey(), f.getValue()));
    }
}
