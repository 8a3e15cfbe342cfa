# syntax=docker/dockerfile:1
# Build a static (musl) binary with the official Rust image, ship it alone in an empty image.
FROM rust:1.95-alpine AS build
RUN apk add --no-cache musl-dev gcc
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY fixtures ./fixtures
COPY benches ./benches
RUN cargo build --release --locked --bin zoho-sharing-mock \
    && strip target/release/zoho-sharing-mock

FROM scratch
COPY --from=build /src/target/release/zoho-sharing-mock /zoho-sharing-mock
ENV ZOHO_MOCK_HOST=0.0.0.0 \
    ZOHO_MOCK_PORT=8080
EXPOSE 8080
USER 65534:65534
# The binary checks itself: no curl or shell in the image.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=5 \
    CMD ["/zoho-sharing-mock", "healthcheck", "http://127.0.0.1:8080"]
ENTRYPOINT ["/zoho-sharing-mock"]
