package io.eventfeeds.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.ServiceConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' Dockerfiles follow Quarkus' JVM convention, run as the unprivileged user 185 (the Kubernetes pods'
 * runAsUser), expose the port the module listens on, and the multi-stage one builds that very module.
 */
class DockerfilesTest {

    private static final Repository REPOSITORY = Repository.current();

    @ParameterizedTest
    @ValueSource(strings = {"feed-service", "gateway-service"})
    void dockerfilesRunTheModuleAsUser185OnItsPort(String module) {
        int port = ServiceConfig.of(REPOSITORY, module).httpPort();
        for (String file : new String[] {"Dockerfile.jvm", "Dockerfile.multistage"}) {
            String dockerfile = REPOSITORY.read(module + "/src/main/docker/" + file);

            assertThat(dockerfile).as(file)
                    .containsPattern("(?m)^FROM registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime:")
                    .containsPattern("(?m)^USER 185$")
                    .containsPattern("(?m)^EXPOSE " + port + "$")
                    .contains("target/quarkus-app/quarkus/")
                    .contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
        }
        assertThat(REPOSITORY.read(module + "/src/main/docker/Dockerfile.multistage"))
                .containsPattern("(?m)^FROM maven:3\\.9-eclipse-temurin-17 AS build$")
                .contains("-pl " + module + " -am package")
                .contains("COPY --from=build --chown=185 /src/" + module + "/target/quarkus-app/lib/");
    }
}
