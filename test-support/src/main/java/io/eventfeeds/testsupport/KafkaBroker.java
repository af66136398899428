package io.eventfeeds.testsupport;

import io.eventfeeds.events.EventTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run from the jars that
 * platform-runtime copied out of Maven Central. It runs as a child JVM so that its Scala and logging classes never
 * meet the Quarkus test classpath, and so that a test can stop and restart it to see what the services do.
 *
 * <p>Topics are not auto-created, as on the real platform: {@link #start()} creates the event topic.
 */
public final class KafkaBroker {

    public static final int EVENT_TOPIC_PARTITIONS = 3;

    private final Path dir;
    private final int port = FreePort.pick();
    private final int controllerPort = FreePort.pick();
    private final ChildProcess process;
    private boolean formatted;

    public KafkaBroker(Path dir) {
        this.dir = dir;
        this.process = new ChildProcess("Kafka broker", dir.resolve("kafka.log"));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (process.isAlive()) {
            return;
        }
        Path config = writeConfig();
        if (!formatted) {
            format(config);
            formatted = true;
        }
        process.start(java("kafka.Kafka", config.toString()), dir, Map.of());
        process.awaitReady(this::answersMetadata, Duration.ofSeconds(90));
        createTopic(EventTopics.EVENTS, EVENT_TOPIC_PARTITIONS);
    }

    /** Stops the broker but keeps its data, so that {@link #start()} brings back the same log on the same port. */
    public synchronized void stop() {
        process.stop();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    private boolean answersMetadata() {
        if (!FreePort.isListening(port)) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private void format(Path config) {
        ChildProcess formatter = new ChildProcess("Kafka storage format", dir.resolve("format.log"));
        formatter.runToCompletion(java("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t",
                Uuid.randomUuid().toString(), "-c", config.toString()), dir, Duration.ofSeconds(60));
    }

    private List<String> java(String mainClass, String... args) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-Xms128m", "-Xmx512m",
                "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4jConfig(),
                "-cp", RuntimeLayout.kafkaLibs() + "/*", mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private Path writeConfig() {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, properties);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path log4jConfig() {
        Path config = dir.resolve("log4j2.properties");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, String.join("\n",
                    "rootLogger.level=WARN",
                    "rootLogger.appenderRef.stdout.ref=STDOUT",
                    "appender.stdout.type=Console",
                    "appender.stdout.name=STDOUT",
                    "appender.stdout.layout.type=PatternLayout",
                    "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                    "logger.kafka.name=kafka.server.KafkaRaftServer",
                    "logger.kafka.level=INFO",
                    ""));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
