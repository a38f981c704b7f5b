# syntax=docker/dockerfile:1
# The botshift image (CLI, controller and router; entrypoint botshift) without Jib:
#   docker build -t botshift:0.1.0 .
# The same image as `mvn -pl orchestrator package jib:buildTar` (docs/kubernetes.md), with the one jar
# instead of Jib's layers; both run the entrypoint script orchestrator/src/main/jib/usr/local/bin/botshift.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
COPY --from=build /src/orchestrator/target/botshift.jar /app/botshift.jar
COPY --chmod=755 orchestrator/src/main/jib/usr/local/bin/botshift /usr/local/bin/botshift
# the uid the manifests run it as (runAsNonRoot needs a numeric user)
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/botshift"]
