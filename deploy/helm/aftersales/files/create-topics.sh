#!/bin/sh
# Creates (or converges) Kafka topics from a list file, with the Kafka CLI.
# Used by the Helm chart's topic-provisioning Job and by docker-compose's
# kafka-init container. Idempotent: existing topics get their configs updated
# and their partition count raised (never lowered) to the requested value.
#
#   create-topics.sh TOPICS_FILE
#
# TOPICS_FILE: one topic a line, `#` starts a comment:
#   <name> <partitions> <replication-factor> [key=value,key=value...]
#
# Environment:
#   KAFKA_BOOTSTRAP        bootstrap servers (required), e.g. kafka:9092
#   KAFKA_BIN              folder of the Kafka scripts (default /opt/kafka/bin)
#   KAFKA_COMMAND_CONFIG   optional client properties file (TLS/SASL)
#   WAIT_TIMEOUT_SECONDS   how long to wait for the brokers (default 300)
set -eu

TOPICS_FILE=${1:?usage: create-topics.sh TOPICS_FILE}
BOOTSTRAP=${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is required}
BIN=${KAFKA_BIN:-/opt/kafka/bin}
WAIT=${WAIT_TIMEOUT_SECONDS:-300}
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms64m -Xmx256m}"
# kafka-run-class.sh creates $LOG_DIR; keep it writable on a read-only root.
export LOG_DIR="${LOG_DIR:-/tmp/kafka-logs}"

set -- --bootstrap-server "$BOOTSTRAP"
if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then
  set -- "$@" --command-config "$KAFKA_COMMAND_CONFIG"
fi

log() { echo "[create-topics] $*"; }

log "waiting for $BOOTSTRAP (up to ${WAIT}s)"
deadline=$(( $(date +%s) + WAIT ))
until existing=$("$BIN/kafka-topics.sh" "$@" --list 2>/dev/null); do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "brokers at $BOOTSTRAP not reachable after ${WAIT}s" >&2
    exit 1
  fi
  sleep 3
done

described=""
if [ -n "$existing" ]; then
  described=$("$BIN/kafka-topics.sh" "$@" --describe --exclude-internal 2>/dev/null || true)
fi

created=0; updated=0; failed=0
# Read through fd 3 so the Kafka CLI cannot swallow the list on stdin.
while read -r name partitions replicas configs <&3 || [ -n "${name:-}" ]; do
  case "${name:-}" in ''|'#'*) continue ;; esac
  configs=${configs:-}
  if printf '%s\n' "$existing" | grep -Fqx "$name"; then
    if [ -n "$configs" ]; then
      "$BIN/kafka-configs.sh" "$@" --alter --entity-type topics --entity-name "$name" \
        --add-config "$configs" >/dev/null || { log "FAILED to update configs of $name" >&2; failed=$((failed + 1)); continue; }
    fi
    current=$(printf '%s\n' "$described" \
      | grep -E "^Topic: $(printf '%s' "$name" | sed 's/\./\\./g')[[:space:]]" \
      | sed -n 's/.*PartitionCount:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -n 1)
    if [ -n "$current" ] && [ "$current" -lt "$partitions" ]; then
      log "$name: partitions $current -> $partitions"
      "$BIN/kafka-topics.sh" "$@" --alter --topic "$name" --partitions "$partitions" \
        || { log "FAILED to add partitions to $name" >&2; failed=$((failed + 1)); continue; }
    elif [ -n "$current" ] && [ "$current" -gt "$partitions" ]; then
      log "$name: has $current partitions, more than the $partitions asked; left as is"
    fi
    updated=$((updated + 1))
    log "up to date: $name"
  else
    # shellcheck disable=SC2046 # word splitting of the --config list is wanted
    "$BIN/kafka-topics.sh" "$@" --create --if-not-exists --topic "$name" \
      --partitions "$partitions" --replication-factor "$replicas" \
      $(printf '%s' "$configs" | tr ',' '\n' | sed -n 's/^\(..*\)$/--config \1/p') \
      || { log "FAILED to create $name" >&2; failed=$((failed + 1)); continue; }
    created=$((created + 1))
    log "created: $name ($partitions partitions, rf $replicas${configs:+, $configs})"
  fi
done 3< "$TOPICS_FILE"

log "created $created, updated $updated, failed $failed"
[ "$failed" -eq 0 ]
