# syntax=docker/dockerfile:1
# Build a static binary, then ship it alone in a small image that runs as a
# non-root user. The corpus and the index live on the /data volume.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/storybot ./cmd/storybot
# A named volume takes the owner of the image's directory, so /data must
# exist and belong to the non-root user, or the bot could not write to it.
RUN mkdir -p /out/data/stories /out/data/index

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/storybot /usr/local/bin/storybot
COPY --from=build --chown=65532:65532 /out/data /data
ENV STORYBOT_CORPUS=/data/stories \
    STORYBOT_INDEX=/data/index \
    STORYBOT_LOG_FORMAT=json \
    STORYBOT_METRICS_ADDR=:9090
VOLUME ["/data"]
EXPOSE 8080 9090
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/storybot"]
CMD ["serve"]
