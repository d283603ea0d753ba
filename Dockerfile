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
# The image's settings are defaults in a file rather than ENV values, which
# docker's --env-file (and compose's env_file) would replace with the empty
# values of a copied .env.example: an empty variable falls back to them.
# On first start an empty /data/stories gets the built-in story.
COPY config/image.env /etc/storybot/defaults.env
ENV STORYBOT_DEFAULTS=/etc/storybot/defaults.env
VOLUME ["/data"]
EXPOSE 8080 9090
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/storybot"]
CMD ["serve"]
