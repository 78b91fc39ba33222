# closewatch container image: Spring Boot's layered-jar recipe (reference/partials/dockerfile).
# The jar is built beforehand by `./mvnw verify` (or `package`); no build tool enters the image.
#
#   ./mvnw -B package
#   buildah bud -t closewatch:dev .                      # or: docker build -t closewatch:dev .
#   buildah bud --build-arg BASE_IMAGE=localhost/closewatch-jre25:bookworm -t closewatch:dev .
#
# Configuration: environment variables (SERVER_PORT, CLOSEWATCH_HISTORY_CAPACITY, ...) and an
# optional mounted /config/application.yaml (upstreams belong there: env vars lower-case map keys).
# The close-event history (SQLite by default) lives in the volume /var/lib/closewatch.

ARG BASE_IMAGE=eclipse-temurin:25-jre

FROM ${BASE_IMAGE} AS builder
WORKDIR /builder
ARG JAR_FILE=target/*.jar
COPY ${JAR_FILE} application.jar
RUN ["java", "-Djarmode=tools", "-jar", "application.jar", "extract", "--layers", "--destination", "extracted"]

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="closewatch" \
      org.opencontainers.image.description="Keeps upstream WebSocket connections open and records every close" \
      org.opencontainers.image.source="https://github.com/closewatch/closewatch" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /application
# Least to most frequently changing, so a code change rebuilds only the last layer.
COPY --from=builder /builder/extracted/dependencies/ ./
COPY --from=builder /builder/extracted/spring-boot-loader/ ./
COPY --from=builder /builder/extracted/snapshot-dependencies/ ./
COPY --from=builder /builder/extracted/application/ ./
# A training run leaves what the JVM needs to start faster: on Java 25+ an AOT cache (JEP 483/515:
# classes loaded and linked, method profiles), on older JREs (BASE_IMAGE) a Class Data Sharing
# archive. It runs the `training` profile: 500 upstreams open, close and reconnect against the demo
# upstream on closewatch's own server (loopback only) while the REST API and the scrape are read,
# and it stops by itself within a minute. With that cache 10,000 upstreams were all open ~1.5 s
# sooner than with one made from the context refresh alone (docs/performance.md, round 6). Should
# the training fail, the cache is made from the refresh alone. application.jvmopts names the cache
# for the ENTRYPOINT's @argfile; application.training says which run made it.
# Both runs write their SQLite history (and sqlite-jdbc's extracted native library, .native beside
# it) under /tmp/training, so the SQLite code paths are in the cache but no database is in the
# image; the directory goes in this same RUN. /var/lib/closewatch is made for the runtime's.
RUN export CLOSEWATCH_HISTORY_SQLITE_PATH=/tmp/training/closewatch.db \
 && mkdir -p /tmp/training \
 && java -XX:+PrintFlagsFinal -version > /tmp/jvm-flags.txt \
 && if grep -q ' AOTCacheOutput ' /tmp/jvm-flags.txt; then \
      cache=application.aot; make="-XX:AOTCacheOutput=$cache"; use="-XX:AOTCache=$cache"; \
    else \
      cache=application.jsa; make="-XX:ArchiveClassesAtExit=$cache"; use="-XX:SharedArchiveFile=$cache"; \
    fi \
 && if java -XX:+AlwaysActAsServerClassMachine "$make" -Dspring.profiles.active=training -jar application.jar > /tmp/training.log 2>&1; then \
      grep -o 'Training run done.*' /tmp/training.log > application.training; \
    else \
      tail -n 30 /tmp/training.log; rm -f "$cache"; \
      echo 'Training run failed: startup cache from the context refresh only' > application.training; \
      java -XX:+AlwaysActAsServerClassMachine "$make" -Dspring.context.exit=onRefresh -jar application.jar; \
    fi \
 && cat application.training && test -s "$cache" && echo "$use" > application.jvmopts \
 && rm -rf /tmp/jvm-flags.txt /tmp/training.log /tmp/training \
 && if [ -e data ]; then echo 'The training run wrote ./data: CLOSEWATCH_HISTORY_SQLITE_PATH was not honoured' >&2; exit 1; fi \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/closewatch
# The history file: an environment variable outranks /config/application.yaml, so set another path
# with -e CLOSEWATCH_HISTORY_SQLITE_PATH=..., not in the file. The directory must be writable by
# 10001 and not mounted noexec (sqlite-jdbc loads its native library from .native beside the file).
ENV SPRING_CONFIG_ADDITIONAL_LOCATION=optional:file:/config/ \
    SERVER_PORT=8080 \
    CLOSEWATCH_HISTORY_SQLITE_PATH=/var/lib/closewatch/closewatch.db
# Numeric so Kubernetes runAsNonRoot can verify it without an /etc/passwd entry.
USER 10001:10001
# Without a volume mounted here, the runtime makes an anonymous one (docker/podman), so the
# history survives a container restart but not its removal; mount a named volume to keep it.
VOLUME ["/var/lib/closewatch"]
EXPOSE 8080
# Heap follows the container's memory limit; add flags through JAVA_TOOL_OPTIONS. G1 whatever the
# limit: below 2 CPUs or 1792 MiB the JVM would pick Serial GC, whose full collections stalled
# closes for 0.7 s at 10,000 upstreams (docs/performance.md, round 6); AlwaysActAsServerClassMachine
# makes G1 the default rather than selecting it, so a collector set in JAVA_TOOL_OPTIONS still wins.
# The free-ratio flags keep the committed heap within ~1.7x of what is live after a collection
# (defaults: up to 3.3x), and the periodic collection hands memory back after a reconnect storm's
# churn. Tighter (10/30) saved more resident memory but slowed a 240,000-series scrape by a quarter
# (docs/performance.md). Classes are not unloaded at the end of each concurrent mark: that cleaning
# was most of G1's Remark pause at 10,000 upstreams (47 of 52 ms in one measured; Remark 12-85 ms),
# and closewatch loads no classes once it runs, so Remark now takes 1-8 ms (docs/performance.md,
# round 9). A full collection
# still unloads them; with this flag a metaspace threshold would be one, so the threshold sits above
# the ~56 MB closewatch uses (it is not committed up front).
ENTRYPOINT ["java", "@application.jvmopts", "-XX:+AlwaysActAsServerClassMachine", "-XX:MaxRAMPercentage=75", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:G1PeriodicGCInterval=300000", "-XX:-ClassUnloadingWithConcurrentMark", "-XX:MetaspaceSize=96m", "-XX:+ExitOnOutOfMemoryError", "-jar", "application.jar"]
