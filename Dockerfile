# One container per user: `docker run ... voice-agent serve --channel <c> --user-id agent`.
# Build stage: compiles the SDK and the C loopback library with Debian's toolchain.
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven gcc make libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY agent-core agent-core
COPY test-support test-support
COPY agent-native agent-native
COPY agent-server agent-server
COPY examples examples
RUN mvn -B -q -DskipTests -Dskip.install.deps package

# Runtime stage: a Debian JRE, espeak-ng (the voice agent's offline TTS), curl (the agent server's
# preStop drain in deploy/k8s), a non-root user, the samples jar and its libraries.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless espeak-ng curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 agent
COPY --from=build /src/examples/target/examples.jar /app/examples.jar
COPY --from=build /src/examples/target/lib /app/lib
USER agent
WORKDIR /home/agent
# The loopback library (inside the jar) is the default; mount the real SDK and point AGORA_SDK_HOME at it:
#   docker run -v /opt/agora_sdk:/opt/agora_sdk:ro -e AGORA_SDK_HOME=/opt/agora_sdk -e AGORA_APP_ID=... ...
ENV AGORA_SDK_HOME=""
# `docker stop` sends SIGTERM: the agent unpublishes, disconnects, releases in order and exits 0 within 2 s.
STOPSIGNAL SIGTERM
# `server` (the REST agent server, deploy/k8s) listens here.
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+UseZGC", "-cp", "/app/examples.jar:/app/lib/*", "io.voiceagent.examples.AgentCli"]
CMD ["serve", "--help"]
