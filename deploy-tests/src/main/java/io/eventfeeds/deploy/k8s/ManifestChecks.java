package io.eventfeeds.deploy.k8s;

import static io.eventfeeds.deploy.k8s.Manifest.GATEWAY;
import static io.eventfeeds.deploy.k8s.Manifest.each;
import static io.eventfeeds.deploy.k8s.Manifest.name;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.eventfeeds.deploy.Problems;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.ServiceConfig;
import io.eventfeeds.deploy.realm.RealmImportWriter;
import io.eventfeeds.deploy.realm.RealmImports;
import io.eventfeeds.events.EventTopics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Cross-checks of a rendered overlay. Each check returns the problems it found, one sentence each, so that a test
 * can run it on the real overlay (no problem) and on a deliberately broken copy (that problem).
 */
public final class ManifestChecks {

    /** security-support's {@code feeds.auth.allowed-clients}. */
    public static final String ALLOWED_CLIENTS = "FEEDS_AUTH_ALLOWED_CLIENTS";
    /** The gateway's WebSocket Origin allowlist (gateway-service security). */
    public static final String ALLOWED_ORIGINS = "FEEDS_GATEWAY_SECURITY_ALLOWED_ORIGINS";
    /**
     * The services' paths that must not face the internet: Quarkus's /q/ endpoints. They are served on the management
     * port, which no Service exposes; this keeps an Ingress from routing them should one move back to the HTTP port.
     */
    public static final List<String> PRIVATE_SERVICE_PATHS = List.of("/q/metrics", "/q/openapi", "/q/swagger-ui/",
            "/q/health/ready", "/q/dev-ui/");
    /** Keycloak's administration and its master realm, where the admin logs in. */
    public static final List<String> PRIVATE_KEYCLOAK_PATHS = List.of("/admin/master/console/", "/admin/realms/feeds",
            "/realms/master/protocol/openid-connect/token", "/metrics", "/health");
    /** The operations the services need on the event topic; no other KafkaUser may touch it. */
    private static final Set<String> EVENT_TOPIC_OPERATIONS = Set.of("Describe", "Write", "Read");
    /** The port of the Service the Keycloak operator makes ({@code <name>-service}). */
    private static final int KEYCLOAK_HTTP_PORT = 8080;
    /** The probes in the order of {@link ServiceConfig#healthPaths()} after its root: live, ready, started. */
    private static final List<String> PROBES = List.of("liveness", "readiness", "startup");

    /** A rule of a table: the problem, and the condition that avoids it. */
    private record Rule<T>(String problem, Predicate<T> holds) {
    }

    /** Metaspace, code cache, thread stacks and the JVM's own structures, on top of heap and direct memory. */
    static final int JVM_OVERHEAD_MIB = 256;
    /** What a service container needs besides its YAML: each rule on every one. */
    private static final List<Rule<Workload>> HARDENING = Stream.of(
            Stream.of(new Rule<Workload>("has a read-only root but no writable /tmp volume, which Quarkus needs", w -> !w.container()
                    .at("/securityContext/readOnlyRootFilesystem").asBoolean() || each(w.container().path("volumeMounts"))
                    .anyMatch(m -> "/tmp".equals(m.path("mountPath").asText())))),
            Stream.of("cpu", "memory").flatMap(kind -> Stream.of(
                    new Rule<Workload>("has no " + kind + " request or limit", w -> !resource(w, "requests", kind).isMissingNode()
                            && !resource(w, "limits", kind).isMissingNode()),
                    // Guaranteed QoS: the gateway's CPU is reserved, not borrowed and throttled when neighbours are busy,
                    // and its fixed, pre-touched heap is memory it holds from the start.
                    new Rule<Workload>("has a " + kind + " request other than its limit: the gateway needs Guaranteed QoS",
                            w -> !w.isGateway() || amount(resource(w, "requests", kind)).equals(amount(resource(w, "limits", kind)))))),
            Stream.of(new Rule<Workload>("has a memory limit below what its JVM options let it take (heap, direct memory,"
                    + " and " + JVM_OVERHEAD_MIB + " MiB for the rest): the kernel would kill it at its busiest",
                    ManifestChecks::memoryLimitHoldsTheJvm)))
            .flatMap(Function.identity())
            .toList();
    /**
     * The production realm's clients offer no flow that puts tokens where others read them or hands passwords to an
     * application. These come from auth-config's realm; TLS and refresh-token rotation are what RealmImports sets.
     */
    private static final List<Rule<JsonNode>> PRODUCTION_CLIENTS = List.of(
            new Rule<>("allows the implicit flow", c -> !c.path("implicitFlowEnabled").asBoolean()),
            new Rule<>("allows the password grant", c -> !c.path("directAccessGrantsEnabled").asBoolean()),
            new Rule<>("accepts redirect URIs by wildcard", c -> each(c.path("redirectUris")).noneMatch(u -> u.asText().contains("*"))));

    private final Repository repository;
    private final Map<String, ServiceConfig> services = new HashMap<>();

    public ManifestChecks(Repository repository) {
        this.repository = repository;
    }

    /** Every check, for the whole overlay. */
    public List<String> all(List<HasMetadata> objects, Overlay overlay) {
        Manifest manifest = new Manifest(objects);
        List<Function<Manifest, List<String>>> checks = new ArrayList<>(List.of(this::servicesExposeNoManagementPort,
                this::probesUseHealthPaths, this::imagesNameTheirModules, this::environmentFitsTheService, this::podsHaveResourcesAndTmp,
                this::gatewayDrainsAndScales, this::servicesFitTheIngress, this::ingressRoutesNoPrivatePath, this::networkDeniesByDefault,
                this::kafkaMatchesThePlatform, this::kafkaAuthenticatesAndAuthorizes, this::keycloakMatchesTheServices,
                m -> realmImportMatchesAuthConfig(m, overlay)));
        if (overlay == Overlay.PROD) {
            checks.addAll(List.of(this::productionCarriesNoSecrets, this::productionRealmIsLockedDown,
                    this::productionAllowsOnlyListedClients));
        }
        return checks.stream().flatMap(check -> check.apply(manifest).stream()).toList();
    }

    /** A container of a Deployment, with the configuration of the service module its image comes from, if any. */
    private record Workload(JsonNode deployment, JsonNode container, ServiceConfig config, Map<String, String> env) {
        String where() {
            return "Deployment " + name(deployment) + " container " + container.path("name").asText();
        }

        boolean isGateway() {
            return GATEWAY.equals(name(deployment));
        }
    }

    private List<Workload> workloads(Manifest manifest) {
        return manifest.kind("Deployment").stream().flatMap(d -> each(d.at("/spec/template/spec/containers")).map(c -> new Workload(
                d, c, service(imageModule(c.path("image").asText())).orElse(null), manifest.environment(c)))).toList();
    }

    private Stream<Workload> serviceWorkloads(Manifest manifest) {
        return workloads(manifest).stream().filter(w -> w.config() != null);
    }

    private Optional<ServiceConfig> service(String module) {
        return ServiceConfig.isServiceModule(repository, module)
                ? Optional.of(services.computeIfAbsent(module, m -> ServiceConfig.of(repository, m))) : Optional.empty();
    }

    private static <T> Stream<String> broken(List<Rule<T>> rules, T subject, String where) {
        return rules.stream().filter(rule -> !rule.holds().test(subject)).map(rule -> where + " " + rule.problem());
    }

    private static JsonNode resource(Workload w, String field, String kind) {
        return w.container().at("/resources/" + field + "/" + kind);
    }

    private static Object amount(JsonNode quantity) {
        return quantity.isMissingNode() ? "none" : Quantity.getAmountInBytes(new Quantity(quantity.asText())).stripTrailingZeros();
    }

    private static boolean memoryLimitHoldsTheJvm(Workload w) {
        OptionalLong needed = jvmMemoryBytes(w.env().get(ServiceConfig.JAVA_OPTS));
        JsonNode limit = resource(w, "limits", "memory");
        return needed.isEmpty() || limit.isMissingNode()
                || Quantity.getAmountInBytes(new Quantity(limit.asText())).longValue() >= needed.getAsLong();
    }

    /**
     * The memory a JVM started with these options may take: its heap limit ({@code -Xmx}), its direct memory limit
     * ({@code -XX:MaxDirectMemorySize}, the heap limit when not set) and {@link #JVM_OVERHEAD_MIB}. Empty without an
     * explicit heap limit: the JVM then sizes the heap from the container's limit itself.
     */
    static OptionalLong jvmMemoryBytes(String javaOpts) {
        if (javaOpts == null) {
            return OptionalLong.empty();
        }
        List<String> options = ServiceConfig.splitOptions(javaOpts);
        OptionalLong heap = lastSize(options, "-Xmx");
        if (heap.isEmpty()) {
            return OptionalLong.empty();
        }
        long direct = lastSize(options, "-XX:MaxDirectMemorySize=").orElse(heap.getAsLong());
        return OptionalLong.of(heap.getAsLong() + direct + JVM_OVERHEAD_MIB * 1024L * 1024L);
    }

    private static OptionalLong lastSize(List<String> options, String prefix) {
        OptionalLong size = OptionalLong.empty();
        for (String option : options) {
            if (option.startsWith(prefix)) {
                String value = option.substring(prefix.length()).toLowerCase(Locale.ROOT);
                int shift = switch (value.charAt(value.length() - 1)) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    case 'g' -> 30;
                    case 't' -> 40;
                    default -> 0;
                };
                String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
                size = OptionalLong.of(Long.parseLong(digits) << shift);
            }
        }
        return size;
    }

    /** The module an image comes from: the last path segment of its repository (registry/eventfeeds/MODULE:tag). */
    public static String imageModule(String image) {
        String withoutDigest = image.split("@", 2)[0];
        return withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1).split(":", 2)[0];
    }

    /**
     * No Service exposes a service's management port (health, metrics, OpenAPI): what a Service exposes, an Ingress
     * or another pod can reach, while probes and Prometheus address the pod itself.
     */
    public List<String> servicesExposeNoManagementPort(Manifest manifest) {
        Problems problems = new Problems();
        for (JsonNode service : manifest.kind("Service")) {
            manifest.deploymentsSelectedBy(service.at("/spec/selector")).forEach(d -> service(name(d))
                    .filter(ServiceConfig::managementInterface).ifPresent(m -> each(service.at("/spec/ports")).forEach(p -> problems
                    .unless(m.healthPort() != portNumber(d, p.has("targetPort") ? p.path("targetPort") : p.path("port")), "Service "
                            + name(service) + " port " + p.path("name").asText() + " exposes " + m.module() + "'s management port "
                            + m.healthPort() + " (health, metrics, OpenAPI)"))));
        }
        return problems;
    }

    /** The number of a port a Service or probe names, by name (a container's) or number. */
    private static int portNumber(JsonNode deployment, JsonNode port) {
        return port.isTextual() ? each(deployment.at("/spec/template/spec/containers")).flatMap(c -> each(c.path("ports")))
                .filter(p -> port.asText().equals(p.path("name").asText())).mapToInt(p -> p.path("containerPort").asInt())
                .findFirst().orElse(-1) : port.asInt();
    }

    /** Liveness and readiness (and startup, when there is one) probes GET the service's own such path on its health port. */
    public List<String> probesUseHealthPaths(Manifest manifest) {
        Problems problems = new Problems();
        serviceWorkloads(manifest).forEach(w -> {
            for (String kind : PROBES) {
                JsonNode probe = w.container().path(kind + "Probe");
                JsonNode get = probe.path("httpGet");
                String where = w.where() + " " + kind + " probe";
                String path = w.config().healthPaths().get(PROBES.indexOf(kind) + 1);
                problems.unless(kind.equals("startup") && probe.isMissingNode() || get.path("path").asText().equals(path), where
                        + " asks " + (get.isMissingNode() ? "no HTTP path" : get.path("path").asText()) + " instead of " + path);
                problems.unless(get.isMissingNode() || portNumber(w.deployment(), get.path("port")) == w.config().healthPort(), where
                        + " port " + get.path("port").asText() + " is not the port " + w.config().module() + " serves health on ("
                        + w.config().healthPort() + ")");
            }
        });
        return problems;
    }

    /** Images are the modules' own, and name the Deployment and container, which other checks rely on. */
    public List<String> imagesNameTheirModules(Manifest manifest) {
        Problems problems = new Problems();
        for (Workload w : workloads(manifest)) {
            String image = w.container().path("image").asText();
            String module = imageModule(image);
            problems.unless(w.config() != null, w.where() + " runs image " + image + ", which no module builds (expected"
                    + " <registry>/<module>:<tag> for a module with src/main/docker/)");
            problems.unless(w.config() == null || module.equals(w.container().path("name").asText()) && module.equals(name(w.deployment())),
                    w.where() + " runs the image of " + module + ": name the Deployment and container after the module they run");
        }
        return problems;
    }

    /** See {@link ServiceConfig#environmentProblems}. */
    public List<String> environmentFitsTheService(Manifest manifest) {
        return serviceWorkloads(manifest).flatMap(w -> w.config().environmentProblems(w.where(), w.env())).toList();
    }

    public List<String> podsHaveResourcesAndTmp(Manifest manifest) {
        return serviceWorkloads(manifest).flatMap(w -> broken(HARDENING, w, w.where())).toList();
    }

    /**
     * The gateway's pod outlives its preStop sleep and Quarkus' draining, and a Deployment an autoscaler scales sets
     * no replicas: every {@code kubectl apply} would reset the autoscaler's count to the manifest's.
     */
    public List<String> gatewayDrainsAndScales(Manifest manifest) {
        Problems problems = new Problems();
        JsonNode pod = manifest.named("Deployment", GATEWAY).orElse(MissingNode.getInstance()).at("/spec/template/spec");
        long preStop = each(pod.path("containers")).map(c -> c.at("/lifecycle/preStop/exec/command"))
                .filter(command -> command.size() == 2 && command.get(0).asText().equals("sleep"))
                .mapToLong(command -> command.get(1).asLong()).sum();
        long drain = drainSeconds(service(GATEWAY).orElseThrow());
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
        problems.unless(grace >= preStop + drain + 5, "Deployment " + GATEWAY + " terminationGracePeriodSeconds " + grace
                + " is shorter than preStop (" + preStop + " s) + connection draining (" + drain + " s) + 5 s");
        manifest.kind("HorizontalPodAutoscaler").forEach(hpa -> manifest.named(hpa.at("/spec/scaleTargetRef/kind").asText(),
                hpa.at("/spec/scaleTargetRef/name").asText()).filter(target -> target.at("/spec/replicas").isNumber())
                .ifPresent(target -> problems.add("Deployment " + name(target) + " sets replicas although HorizontalPodAutoscaler "
                        + name(hpa) + " owns them")));
        return problems;
    }

    /**
     * How long the gateway may take to stop after SIGTERM: Quarkus' shutdown delay (when enabled; the gateway closes
     * connections with 1001 in it, waiting at most its shutdown grace) plus Quarkus' HTTP drain timeout; Quarkus'
     * 30 s when none is set.
     */
    static long drainSeconds(ServiceConfig gateway) {
        Duration timeout = gateway.property("quarkus.shutdown.timeout", Duration.class, null);
        Duration delay = gateway.property("quarkus.shutdown.delay-enabled", Boolean.class, false)
                ? gateway.property("quarkus.shutdown.delay", Duration.class, null) : null;
        Duration grace = gateway.property("feeds.gateway.shutdown-grace", Duration.class, null);
        return timeout == null && delay == null && grace == null ? 30
                : Stream.of(timeout, delay, grace).filter(java.util.Objects::nonNull).mapToLong(Duration::toSeconds).sum();
    }

    /**
     * The proxy passes as large a body as feed-service takes (ingress-nginx's default is 1m). The gateway keeps
     * browsers' WebSockets: its Origin allowlist holds the Ingress's public origin (its default lists only local ones),
     * and an idle WebSocket stays open longer than the gateway's ping interval (pings and pongs keep it busy).
     */
    public List<String> servicesFitTheIngress(Manifest manifest) {
        Problems problems = new Problems();
        ServiceConfig gateway = service(GATEWAY).orElseThrow();
        manifest.gatewayOrigin().ifPresent(origin -> serviceWorkloads(manifest).filter(Workload::isGateway).forEach(w -> problems.unless(
                List.of(w.env().getOrDefault(ALLOWED_ORIGINS, "").split("\\s*,\\s*")).contains(origin), w.where() + " "
                        + ALLOWED_ORIGINS + " is " + w.env().get(ALLOWED_ORIGINS) + ": it must allow " + origin
                        + ", or browsers' WebSocket handshakes are refused")));
        long ping = gateway.property("quarkus.websockets-next.server.auto-ping-interval", Duration.class, Duration.ofDays(1)).toSeconds();
        String bodies = service("feed-service").orElseThrow().property("quarkus.http.limits.max-body-size", String.class, "10240K");
        for (JsonNode ingress : manifest.kind("Ingress")) {
            problems.same("Ingress " + name(ingress) + " nginx.ingress.kubernetes.io/proxy-body-size", ingress.at("/metadata/annotations")
                    .path("nginx.ingress.kubernetes.io/proxy-body-size").asText("1m"), bodies, "feed-service's body limit");
            for (String key : List.of("proxy-read-timeout", "proxy-send-timeout")) {
                String value = ingress.at("/metadata/annotations").path("nginx.ingress.kubernetes.io/" + key).asText("");
                problems.unless(value.matches("\\d+") && Long.parseLong(value) > ping, "Ingress " + name(ingress)
                        + " nginx.ingress.kubernetes.io/" + key + " is " + value + ": idle WebSockets need more than the gateway's"
                        + " ping interval, " + ping + " s");
            }
        }
        return problems;
    }

    /**
     * No Ingress path reaches a private path: the services' /q/ endpoints, Keycloak's /admin and master realm. An
     * Exact path covers only itself; a Prefix (or implementation-specific) path covers itself and everything below.
     */
    public List<String> ingressRoutesNoPrivatePath(Manifest manifest) {
        Problems problems = new Problems();
        manifest.kind("Ingress").forEach(ingress -> each(ingress.at("/spec/rules")).flatMap(rule -> each(rule.at("/http/paths")))
                .forEach(path -> {
                    String backend = path.at("/backend/service/name").asText();
                    String p = path.path("path").asText("/");
                    for (String hidden : backend.equals(keycloakServiceName(manifest)) ? PRIVATE_KEYCLOAK_PATHS : PRIVATE_SERVICE_PATHS) {
                        problems.unless("Exact".equals(path.path("pathType").asText()) ? !p.equals(hidden)
                                : !hidden.equals(p) && !hidden.startsWith(p.endsWith("/") ? p : p + "/"), "Ingress " + name(ingress)
                                + " path " + p + " (" + path.path("pathType").asText() + ") exposes " + backend + "'s " + hidden);
                    }
                }));
        return problems;
    }

    /**
     * Ingress is denied by default and no NetworkPolicy admits every source, so nothing else in the cluster reaches
     * Keycloak (which trusts X-Forwarded-*), the services' /q/ endpoints or Kafka but what a rule names.
     */
    public List<String> networkDeniesByDefault(Manifest manifest) {
        List<JsonNode> policies = manifest.kind("NetworkPolicy");
        Problems problems = new Problems();
        problems.unless(policies.stream().anyMatch(p -> p.at("/spec/podSelector").isEmpty() && p.at("/spec/ingress").isEmpty()
                && each(p.at("/spec/policyTypes")).anyMatch(t -> t.asText().equals("Ingress"))),
                "no NetworkPolicy denies ingress by default: every pod would be reachable");
        policies.forEach(policy -> each(policy.at("/spec/ingress")).filter(rule -> rule.path("from").isEmpty()).forEach(rule ->
                problems.add("NetworkPolicy " + name(policy) + " opens " + policy.at("/spec/podSelector/matchLabels") + " to every source")));
        return problems;
    }

    /**
     * Kafka is the trust boundary: a pod that reaches it must not write events with a forged publisher. Every
     * listener authenticates, ACLs authorize, and only the services' KafkaUsers touch the event topic, with the
     * operations they need. (A client that does not log in fails at once; one that may write too much does not.)
     */
    public List<String> kafkaAuthenticatesAndAuthorizes(Manifest manifest) {
        Problems problems = new Problems();
        for (JsonNode kafka : manifest.kind("Kafka")) {
            each(kafka.at("/spec/kafka/listeners")).forEach(l -> problems.unless(l.at("/authentication/type").isTextual(),
                    "Kafka " + name(kafka) + " listener " + l.path("name").asText() + " accepts clients without authentication"));
            problems.unless("simple".equals(kafka.at("/spec/kafka/authorization/type").asText()),
                    "Kafka " + name(kafka) + " authorizes nothing (spec.kafka.authorization.type: simple)");
        }
        for (JsonNode user : manifest.kind("KafkaUser")) {
            each(user.at("/spec/authorization/acls")).filter(acl -> coversEventTopic(acl.path("resource")))
                    .flatMap(acl -> Stream.concat(each(acl.path("operations")), Stream.of(acl.path("operation")))).map(JsonNode::asText)
                    .filter(operation -> !operation.isEmpty() && !(service(name(user)).isPresent() && EVENT_TOPIC_OPERATIONS.contains(operation)))
                    .forEach(operation -> problems.add("KafkaUser " + name(user) + " may " + operation + " the event topic " + EventTopics.EVENTS));
        }
        return problems;
    }

    private static boolean coversEventTopic(JsonNode resource) {
        String topic = resource.path("name").asText();
        return "topic".equals(resource.path("type").asText()) && ("prefix".equals(resource.path("patternType").asText())
                ? EventTopics.EVENTS.startsWith(topic) : topic.equals("*") || topic.equals(EventTopics.EVENTS));
    }

    /**
     * Kafka runs the platform's version, and its topics are the ones the services use, sized like the local platform's,
     * with no more in-sync replicas required than they have: pods would be ready, and every write refused.
     */
    public List<String> kafkaMatchesThePlatform(Manifest manifest) {
        Problems problems = new Problems();
        manifest.kind("Kafka").forEach(kafka -> problems.same("Kafka " + name(kafka) + " version", kafka.at("/spec/kafka/version")
                .asText(), repository.pomProperty("kafka.version"), "the platform's kafka.version"));
        Set<String> declared = new TreeSet<>();
        for (JsonNode topic : manifest.kind("KafkaTopic")) {
            String where = "KafkaTopic " + topic.at("/spec/topicName").asText(name(topic));
            declared.add(topic.at("/spec/topicName").asText(name(topic)));
            problems.same(where + " partitions", topic.at("/spec/partitions").asText(),
                    repository.platformDefault("EVENTS_TOPIC_PARTITIONS"), "./platform's EVENTS_TOPIC_PARTITIONS");
            problems.same(where + " retention.ms", topic.at("/spec/config/retention.ms").asText(),
                    repository.platformDefault("EVENTS_TOPIC_RETENTION_MS"), "./platform's EVENTS_TOPIC_RETENTION_MS");
            problems.unless(topic.at("/spec/config/min.insync.replicas").asInt(1) <= topic.at("/spec/replicas").asInt(), where
                    + " requires more in-sync replicas than it has: no write would ever be acknowledged");
        }
        Set<String> used = new TreeSet<>();
        Stream.of("feed-service", GATEWAY).forEach(module -> service(module)
                .ifPresent(s -> used.addAll(s.values("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.topic"))));
        problems.same("KafkaTopics", declared, used, "the topics the services use");
        return problems;
    }

    /**
     * Keycloak runs the platform's version, the services find it at its operator-made Service, and its hostname (the
     * tokens' issuer) is its Ingress URL: otherwise tokens would carry an issuer browsers and services do not share.
     */
    public List<String> keycloakMatchesTheServices(Manifest manifest) {
        Problems problems = new Problems();
        JsonNode keycloak = manifest.kind("Keycloak").stream().findFirst().orElse(MissingNode.getInstance());
        problems.same("Keycloak image", keycloak.at("/spec/image").asText(), "quay.io/keycloak/keycloak:"
                + repository.pomProperty("keycloak.version"), "the platform's keycloak.version");
        String internalUrl = "http://" + keycloakServiceName(manifest) + ":" + KEYCLOAK_HTTP_PORT + "/realms/"
                + RealmImports.realm(repository).path("realm").asText();
        manifest.kind("ConfigMap").stream().filter(map -> map.at("/data/QUARKUS_OIDC_AUTH_SERVER_URL").isTextual())
                .forEach(map -> problems.same("ConfigMap " + name(map) + " QUARKUS_OIDC_AUTH_SERVER_URL",
                        map.at("/data/QUARKUS_OIDC_AUTH_SERVER_URL").asText(), internalUrl, "Keycloak's Service and the realm"));
        manifest.hostServing(keycloakServiceName(manifest)).ifPresent(host -> problems.same("Keycloak hostname",
                keycloak.at("/spec/hostname/hostname").asText(), "https://" + host, "its Ingress URL"));
        return problems;
    }

    private static String keycloakServiceName(Manifest manifest) {
        return manifest.kind("Keycloak").stream().findFirst().map(Manifest::name).orElse("keycloak") + "-service";
    }

    /** The realm the overlay imports is the one generated from auth-config's realm, for the Keycloak it has. */
    public List<String> realmImportMatchesAuthConfig(Manifest manifest, Overlay overlay) {
        Problems problems = new Problems();
        JsonNode realmImport = manifest.kind("KeycloakRealmImport").stream().findFirst().orElse(MissingNode.getInstance());
        String origin = manifest.gatewayOrigin().orElse("https://<no gateway Ingress>");
        JsonNode realm = RealmImports.realm(repository);
        problems.unless(RealmImports.realmImport(realm, overlay, origin).get("spec").equals(realmImport.path("spec")),
                "KeycloakRealmImport " + name(realmImport) + " in " + overlay.path() + " differs from " + Repository.REALM_FILE
                        + " (" + overlay.realm() + " realm, gateway " + origin + "): regenerate it with "
                        + RealmImportWriter.COMMAND);
        String keycloak = realmImport.at("/spec/keycloakCRName").asText();
        problems.unless(manifest.named("Keycloak", keycloak).isPresent(),
                "KeycloakRealmImport names Keycloak " + keycloak + ", which does not exist");
        return problems;
    }

    /** The production realm detects brute force, and each rule of {@link #PRODUCTION_CLIENTS} holds for each client. */
    public List<String> productionRealmIsLockedDown(Manifest manifest) {
        return manifest.kind("KeycloakRealmImport").stream().flatMap(realmImport -> {
            JsonNode realm = realmImport.at("/spec/realm");
            String where = "KeycloakRealmImport " + name(realmImport);
            return Stream.concat(realm.path("bruteForceProtected").asBoolean() ? Stream.empty() : Stream.of(where
                    + " has brute-force detection off"), each(realm.path("clients")).flatMap(client ->
                    broken(PRODUCTION_CLIENTS, client, where + " client " + client.path("clientId").asText())));
        }).toList();
    }

    /**
     * In production both services accept tokens of listed clients only, so that a client added to the realm for
     * another application cannot call them because its tokens happen to carry the audience.
     */
    public List<String> productionAllowsOnlyListedClients(Manifest manifest) {
        return serviceWorkloads(manifest).filter(w -> w.env().getOrDefault(ALLOWED_CLIENTS, "").isBlank())
                .map(w -> "Deployment " + name(w.deployment()) + " accepts tokens of every client of the realm (set "
                        + ALLOWED_CLIENTS + ")").toList();
    }

    /** Production references Secrets the operator provides: no Secret, demo user or client secret is in git. */
    public List<String> productionCarriesNoSecrets(Manifest manifest) {
        Problems problems = new Problems();
        manifest.kind("Secret").forEach(secret ->
                problems.add("the prod overlay contains Secret " + name(secret) + ": prod only references Secrets"));
        for (JsonNode realmImport : manifest.kind("KeycloakRealmImport")) {
            JsonNode realm = realmImport.at("/spec/realm");
            problems.unless(!realm.has("users"), "the prod realm import contains users (demo accounts)");
            problems.unless(each(realm.path("clients")).allMatch(c -> c.path("secret").asText("${NONE}").matches("\\$\\{[A-Z0-9_]+}"))
                    && !realm.toString().contains("\"credentials\""), "the prod realm import contains a client secret or credentials");
        }
        return problems;
    }
}
