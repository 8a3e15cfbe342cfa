# The image for users: a static (musl) binary built with the official Rust image, shipped alone in
# an empty image. Needs Docker Hub (rust:1.95-alpine):
#
#   docker build -t zoho-sharing-mock .
#
# Around a static binary built elsewhere (no registry needed), build Dockerfile.runtime instead,
# as CI does (.ci/docker.sh). Both files end in the same `runtime` stage, line for line.
FROM rust:1.95-alpine AS binary
RUN apk add --no-cache musl-dev gcc
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY fixtures ./fixtures
COPY benches ./benches
RUN cargo build --release --locked --bin zoho-sharing-mock \
    && strip target/release/zoho-sharing-mock \
    && cp target/release/zoho-sharing-mock /zoho-sharing-mock \
    && mkdir /data

# runtime: the same lines end Dockerfile and Dockerfile.runtime (.ci/docker.sh checks).
FROM scratch AS runtime
COPY docker/passwd docker/group /etc/
COPY --from=binary /zoho-sharing-mock /zoho-sharing-mock
# A named volume mounted on /data starts as a copy of this directory, owner included, so the
# non-root user can write its state file there (-e ZOHO_MOCK_STATE_FILE=/data/state.db).
COPY --from=binary --chown=10001:10001 /data /data
USER 10001:10001
WORKDIR /data
ENV ZOHO_MOCK_HOST=0.0.0.0 \
    ZOHO_MOCK_PORT=8080
EXPOSE 8080
# The binary checks itself on the address it binds (it reads ZOHO_MOCK_HOST and ZOHO_MOCK_PORT,
# so `-e ZOHO_MOCK_PORT=9090` is checked on 9090): no curl or shell in the image.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=5 \
    CMD ["/zoho-sharing-mock", "healthcheck"]
ENTRYPOINT ["/zoho-sharing-mock"]
