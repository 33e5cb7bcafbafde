#!/usr/bin/env bash
# The compose layout's one-shot kafka-users (apache/kafka image): creates the product's SCRAM
# users (deploy/src/kafka-auth/acls.ts KAFKA_USERS) with a SHA-512 and a SHA-256 credential
# each. It logs in through the brokers' INTERNAL listener as the PLAIN super user `broker`,
# because no SCRAM user exists yet. Retried until the quorum answers; running it again only
# sets the same passwords.
set -euo pipefail

props="$(mktemp)"
cat >"$props" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$EDU_KAFKA_BROKER_PASSWORD";
EOF

for user in admin ingest streamer simulator school; do
  var="EDU_KAFKA_${user^^}_PASSWORD"
  # One mechanism per request: the broker refuses a user's credential altered twice in one.
  for mech in SCRAM-SHA-512 SCRAM-SHA-256; do
    for try in $(seq 1 60); do
      /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$EDU_KAFKA_BOOTSTRAP_INTERNAL" --command-config "$props" \
        --alter --entity-type users --entity-name "$user" --add-config "$mech=[password=${!var}]" && break
      ((try < 60)) || { echo "kafka-users: could not set $mech for $user" >&2; exit 1; }
      sleep 2
    done
  done
done
echo "kafka-users: SCRAM users ready"
