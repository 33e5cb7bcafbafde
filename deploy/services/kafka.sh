#!/usr/bin/env bash
# Single-node Apache Kafka 3.9.1 broker (KRaft: broker+controller in one JVM)
# built from the jars on Maven Central, listening on 127.0.0.1 only.
#
#   kafka.sh start|stop|status|restart
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#      KAFKA_HEAP_OPTS ("-Xms256m -Xmx512m"), KAFKA_START_TIMEOUT (90 s),
#      EDU_RESET=1 (wipe the broker's data on start), EDU_STATE_DIR,
#      KAFKA_LIBS_DIR (<state>/kafka-libs: where the jars are collected; a second broker
#      started elsewhere, e.g. by a test, shares them).
#
# One node of a quorum (deploy/src/cluster: three brokers on one machine) with
#      KAFKA_NODE_ID (1), KAFKA_QUORUM_VOTERS ("<id>@127.0.0.1:<controller port>,…"),
#      KAFKA_CLUSTER_ID (the same 22-character id on every node; random when alone),
#      KAFKA_REPLICATION (1: internal topics' and the default replication factor) and
#      KAFKA_MIN_ISR (1). Start the nodes together: each is healthy only once the quorum is.
#
# EDU_KAFKA_AUTH=scram runs the client listener as SASL_PLAINTEXT with SCRAM-SHA-512/256 and
# the StandardAuthorizer (no ACL = denied). Users admin (super user), ingest, streamer,
# simulator and school get the passwords EDU_KAFKA_<USER>_PASSWORD, or generated ones, kept in
# <state>/run/kafka/credentials.env (mode 600) for the next start and for the processes.
# The admin creates the contract's topics (the processes' own settings EDU_KAFKA_TOPIC_PREFIX,
# EDU_INGEST_TOPIC_PARTITIONS, EDU_INGEST_REPLICATION_FACTOR) and grants the ACLs of
# deploy/src/kafka-auth/acls.ts (ingest's group EDU_INGEST_GROUP_ID, the simulator's
# EDU_KAFKA_SIMULATOR_GROUP). A data dir formatted without SCRAM has no users: switching it
# to scram needs EDU_RESET=1.
# Without it (EDU_KAFKA_AUTH=none, the default) topics are NOT created here (auto-create is
# off): the TypeScript code does it.
set -euo pipefail

SVC=kafka
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_AUTH="${EDU_KAFKA_AUTH:-none}"
[[ "$KAFKA_AUTH" =~ ^(none|scram)$ ]] || die "EDU_KAFKA_AUTH must be none or scram, not '$KAFKA_AUTH'"
KAFKA_NODE_ID="${KAFKA_NODE_ID:-1}"
KAFKA_QUORUM_VOTERS="${KAFKA_QUORUM_VOTERS:-$KAFKA_NODE_ID@127.0.0.1:$KAFKA_CONTROLLER_PORT}"
KAFKA_CLUSTER_ID="${KAFKA_CLUSTER_ID:-}"
KAFKA_REPLICATION="${KAFKA_REPLICATION:-1}"
KAFKA_MIN_ISR="${KAFKA_MIN_ISR:-1}"
[[ "$KAFKA_NODE_ID" =~ ^[0-9]+$ ]] || die "KAFKA_NODE_ID must be a number, not '$KAFKA_NODE_ID'"
[[ "$KAFKA_REPLICATION" =~ ^[1-9]$ && "$KAFKA_MIN_ISR" =~ ^[1-9]$ ]] \
  || die "KAFKA_REPLICATION and KAFKA_MIN_ISR must be 1-9, not '$KAFKA_REPLICATION' / '$KAFKA_MIN_ISR'"
((KAFKA_MIN_ISR <= KAFKA_REPLICATION)) || die "KAFKA_MIN_ISR ($KAFKA_MIN_ISR) exceeds KAFKA_REPLICATION ($KAFKA_REPLICATION)"
# The SCRAM users are written into one node's bootstrap metadata and provisioned through it.
[[ "$KAFKA_AUTH" == none || "$KAFKA_QUORUM_VOTERS" != *,* ]] \
  || die "EDU_KAFKA_AUTH=scram is set up for a single node here; a quorum runs without it (README, Cluster)"
# The SCRAM users; their ACLs are deploy/src/kafka-auth/acls.ts (KAFKA_USERS there).
SCRAM_USERS=(admin ingest streamer simulator school)

POM="$SERVICES_DIR/kafka/pom.xml"
LIBS="${KAFKA_LIBS_DIR:-$STATE_DIR/kafka-libs}"
RUN="$RUN_ROOT/kafka"
DATA="$RUN/data"
PROPS="$RUN/server.properties"
LOG4J="$RUN/log4j.properties"
LOG4J_TOOLS="$RUN/log4j-tools.properties"
# SCRAM mode: the passwords (sourceable), the admin's client config for the Java tools and kcat's.
CREDS="$RUN/credentials.env"
ADMIN_PROPS="$RUN/admin.properties"
KCAT_CONF="$RUN/kcat-admin.conf"
# In the data dir, so that EDU_RESET=1 forgets them with the data.
AUTH_MARKER="$DATA/.edu-auth"
SCRAM_DONE="$DATA/.edu-scram.sha256"
PIDFILE="$RUN/kafka.pid"
LOG="$LOG_DIR/kafka.log"
# JVM stdout/stderr: crashes and errors that happen before log4j is set up.
CONSOLE_LOG="$LOG_DIR/kafka.console.log"
# Unique per state dir, so we never mistake another JVM for ours.
PID_MARKER="$PROPS"

# Jars are collected once per pom.xml content (a version bump re-collects).
ensure_libs() {
  local want have=""
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  [[ -f "$LIBS/.pom.sha256" ]] && have="$(cat "$LIBS/.pom.sha256")"
  if [[ "$want" == "$have" ]] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  ensure_cmd mvn maven
  log "collecting Kafka jars from Maven Central into $LIBS (see $LOG_DIR/kafka-mvn.log)"
  # Copy into a temp dir and rename, so an interrupted download never looks complete.
  local tmp="$LIBS.tmp.$$"
  rm -rf "$tmp"
  if ! (cd "$SERVICES_DIR/kafka" && mvn -B -q -Dstyle.color=never -f "$POM" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp") \
        >"$LOG_DIR/kafka-mvn.log" 2>&1; then
    rm -rf "$tmp"
    show_log_tail "$LOG_DIR/kafka-mvn.log"
    die "mvn dependency:copy-dependencies failed"
  fi
  echo "$want" >"$tmp/.pom.sha256"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
}

write_configs() {
  mkdir -p "$RUN" "$DATA"
  # With SCRAM it holds passwords (JAAS lines): made anew, ours-only, before anything is
  # written (truncating an older 644 file would keep its mode).
  rm -f "$PROPS"
  (umask 077 && : >"$PROPS")
  cat >"$PROPS" <<EOF
# Generated by deploy/services/kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$KAFKA_QUORUM_VOTERS
controller.listener.names=CONTROLLER
log.dirs=$DATA
EOF
  if [[ "$KAFKA_AUTH" == scram ]]; then
    write_scram_configs
  else
    cat >>"$PROPS" <<EOF
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
EOF
  fi
  cat >>"$PROPS" <<EOF

# One node: every internal topic must have replication factor 1 (KAFKA_REPLICATION).
offsets.topic.replication.factor=$KAFKA_REPLICATION
# One partition for __consumer_offsets: the first consumer group comes up in
# well under a second instead of waiting for 50 partitions to be created.
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=$KAFKA_REPLICATION
transaction.state.log.min.isr=$KAFKA_MIN_ISR
transaction.state.log.num.partitions=1
default.replication.factor=$KAFKA_REPLICATION
min.insync.replicas=$KAFKA_MIN_ISR
num.partitions=1
# A crashed broker is fenced (and its partitions' leadership moves) after this long: 4 s
# instead of 9 s, measured in ../shared/notes/kafka-scram-acls.md (section 5).
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000

# Tests create topics explicitly; a typo must fail, not silently make a topic.
auto.create.topics.enable=false
# Consumers join immediately instead of after the default 3 s delay.
group.initial.rebalance.delay.ms=0

# 1 MB messages plus record-batch overhead must fit (default is ~1 MB exactly).
message.max.bytes=2097152
replica.fetch.max.bytes=2097152
EOF

  cat >"$LOG4J" <<EOF
# Generated by deploy/services/kafka.sh. Everything goes to one file.
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOG
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
# Per-request and per-partition state chatter is noise for a dev broker.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF

  # For the one-off StorageTool runs: warnings only, to stderr (console log).
  cat >"$LOG4J_TOOLS" <<EOF
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# ---- SCRAM and ACLs (EDU_KAFKA_AUTH=scram) ----

# Variable holding USER's password: EDU_KAFKA_ADMIN_PASSWORD, ….
pw_var() { echo "EDU_KAFKA_${1^^}_PASSWORD"; }

# Loads every user's password: the environment's, else the one kept from an earlier start,
# else a new random one; then keeps them all (mode 600). The controller's login is internal.
load_credentials() {
  mkdir -p "$RUN"
  local -A kept=()
  local k v u var
  if [[ -f "$CREDS" ]]; then
    while IFS='=' read -r k v; do [[ "$k" =~ ^EDU_KAFKA_[A-Z]+_PASSWORD$ ]] && kept[$k]="$v"; done <"$CREDS"
  fi
  for u in "${SCRAM_USERS[@]}" controller; do
    var="$(pw_var "$u")"
    v="${!var:-${kept[$var]:-}}"
    # The broker logs in to itself as admin: a new admin password would lock it out of the
    # users it formatted with, before it could change them.
    if [[ "$u" == admin && -f "$DATA/meta.properties" && -n "${kept[$var]:-}" && "$v" != "${kept[$var]}" ]]; then
      die "$var differs from the one $DATA was formatted with; it cannot change (EDU_RESET=1 starts over)"
    fi
    [[ -n "$v" ]] || v="$(head -c 18 /dev/urandom | base64 | tr '+/' '._')"
    # Quoted in JAAS lines and --add-scram, which allow no comma, quote or backslash;
    # ConfigCommand splits on commas and brackets. This set survives all three.
    [[ "$v" =~ ^[A-Za-z0-9._~@%:+-]{8,128}$ ]] \
      || die "$var: 8 to 128 characters of letters, digits and ._~@%:+- only"
    printf -v "$var" '%s' "$v"
  done
  (
    umask 077
    for u in "${SCRAM_USERS[@]}" controller; do var="$(pw_var "$u")"; echo "$var=${!var}"; done >"$CREDS.tmp"
  )
  mv "$CREDS.tmp" "$CREDS"
}

write_scram_configs() {
  local admin_jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$EDU_KAFKA_ADMIN_PASSWORD\";"
  cat >>"$PROPS" <<EOF
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
# The controller listener: PLAIN with one static user, which must be a super user (the broker
# registers with its controller through it; as ANONYMOUS it would be refused and never open
# the client port). SCRAM there would need the credentials before the quorum has any.
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$EDU_KAFKA_CONTROLLER_PASSWORD" user_controller="$EDU_KAFKA_CONTROLLER_PASSWORD";
# Clients and the broker itself: SCRAM; every user has both a 512 and a 256 credential.
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$admin_jaas
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$admin_jaas
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
EOF
  (
    umask 077
    cat >"$ADMIN_PROPS" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$admin_jaas
EOF
    cat >"$KCAT_CONF" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanisms=SCRAM-SHA-512
sasl.username=admin
sasl.password=$EDU_KAFKA_ADMIN_PASSWORD
EOF
  )
}

# The --add-scram arguments of StorageTool format, one per line.
scram_format_args() {
  local u var
  for u in "${SCRAM_USERS[@]}"; do
    var="$(pw_var "$u")"
    echo "--add-scram"
    echo "SCRAM-SHA-512=[name=$u,password=\"${!var}\"]"
    echo "--add-scram"
    echo "SCRAM-SHA-256=[name=$u,password=\"${!var}\"]"
  done
}

# "USER SHA256-OF-PASSWORD" lines: what the broker's users were last given, without the passwords.
credential_lines() {
  local u var
  for u in "${SCRAM_USERS[@]}"; do
    var="$(pw_var "$u")"
    echo "$u $(printf '%s' "${!var}" | sha256sum | cut -d' ' -f1)"
  done
}

# A short-lived Kafka tool (ConfigCommand): small heap, quick JIT, warnings only.
kafka_tool() {
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$LIBS/*" \
    "-Dlog4j.configuration=file:$LOG4J_TOOLS" "$@"
}

# run_tools_parallel CMD-LINES... : each line (tab-separated words) one kafka_tool run in the
# background; fails if any does. The JVM starts dominate (about 1 s each), so they overlap.
run_tools_parallel() {
  local line pids=() words p failed=0
  for line in "$@"; do
    IFS=$'\t' read -ra words <<<"$line"
    kafka_tool "${words[@]}" >>"$CONSOLE_LOG" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  return "$failed"
}

# After the broker answers: credentials changed since the format (passwords set in the
# environment later; skipped when none did, so a plain restart costs no JVM start), then the
# contract's topics and the ACLs.
provision_scram() {
  local lines=() changed=() u h var mech t0 done_before
  t0="$(now_ms)"
  done_before="$(cat "$SCRAM_DONE" 2>/dev/null || true)"
  while read -r u h; do
    grep -qxF "$u $h" <<<"$done_before" || changed+=("$u")
  done < <(credential_lines)
  if ((${#changed[@]})); then
    log "setting the SCRAM credentials of ${changed[*]}"
    for u in "${changed[@]}"; do
      var="$(pw_var "$u")"
      # One mechanism per request: the broker refuses a user's credential altered twice in one.
      for mech in SCRAM-SHA-512 SCRAM-SHA-256; do
        lines+=("$(printf '%s\t' kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
          --command-config "$ADMIN_PROPS" --alter --entity-type users --entity-name "$u" \
          --add-config)$mech=[password=${!var}]")
      done
    done
    run_tools_parallel "${lines[@]}" || { show_log_tail "$CONSOLE_LOG"; log "ConfigCommand failed"; return 1; }
    credential_lines >"$SCRAM_DONE"
  fi
  # Topics and ACLs as admin, from the contract's topic list (one Node process; idempotent).
  (cd "$REPO_ROOT" && EDU_KAFKA_ADMIN_PASSWORD="$EDU_KAFKA_ADMIN_PASSWORD" \
    node --import tsx deploy/src/kafka-auth/provision.ts --bootstrap "127.0.0.1:$KAFKA_PORT" \
    --prefix "${EDU_KAFKA_TOPIC_PREFIX:-}" \
    --partitions "${EDU_INGEST_TOPIC_PARTITIONS:-3}" --replication-factor "${EDU_INGEST_REPLICATION_FACTOR:-1}" \
    --ingest-group "${EDU_INGEST_GROUP_ID:-edu-ingest}" \
    --simulator-group "${EDU_KAFKA_SIMULATOR_GROUP:-edu-simulator-schools}") \
    || { log "creating the topics and ACLs as admin failed"; return 1; }
  log "SCRAM users, topics and ACLs ready in $(elapsed_s "$t0")s"
}

# Fills the JAVA array: JVM flags shared by the broker and the storage tool.
java_args() {
  local heap
  # KAFKA_HEAP_OPTS is a space-separated list of JVM flags on purpose.
  read -ra heap <<<"$KAFKA_HEAP_OPTS"
  # GC flags as in Kafka's own kafka-run-class.sh.
  JAVA=(java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOG4J" "-Dkafka.logs.dir=$LOG_DIR"
    -cp "$LIBS/*")
}

format_storage() {
  # meta.properties means the log dir is already formatted: skip a JVM start.
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id="$KAFKA_CLUSTER_ID"
  [[ -n "$cluster_id" ]] || cluster_id="$(java -cp "$LIBS/*" "-Dlog4j.configuration=file:$LOG4J_TOOLS" \
    kafka.tools.StorageTool random-uuid 2>>"$CONSOLE_LOG")"
  [[ -n "$cluster_id" ]] || die "StorageTool random-uuid printed nothing (see $CONSOLE_LOG)"
  log "formatting $DATA (cluster id $cluster_id)"
  local scram=()
  # The users go into the bootstrap metadata: with SCRAM the broker's own login (admin) must
  # exist before it starts.
  [[ "$KAFKA_AUTH" == scram ]] && mapfile -t scram < <(scram_format_args)
  java -cp "$LIBS/*" "-Dlog4j.configuration=file:$LOG4J_TOOLS" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" --ignore-formatted "${scram[@]}" \
    >>"$CONSOLE_LOG" 2>&1 || { show_log_tail "$CONSOLE_LOG"; die "storage format failed"; }
  echo "$KAFKA_AUTH" >"$AUTH_MARKER"
  [[ "$KAFKA_AUTH" == scram ]] && credential_lines >"$SCRAM_DONE"
  return 0
}

# A data dir formatted without SCRAM has no users: the broker could not even log in to itself.
check_auth_mode() {
  [[ "$KAFKA_AUTH" == scram && -f "$DATA/meta.properties" ]] || return 0
  local had
  had="$(cat "$AUTH_MARKER" 2>/dev/null || echo none)"
  [[ "$had" == scram ]] \
    || die "$DATA was formatted without SCRAM users; EDU_KAFKA_AUTH=scram needs a fresh one (EDU_RESET=1 wipes it)"
}

# Healthy = the broker answers a real Metadata request and lists itself.
broker_healthy() {
  local md
  # Cheap TCP probe first: kcat against a closed port sits in librdkafka's
  # reconnect backoff and makes the start look ~1 s slower than it is.
  port_in_use "$KAFKA_PORT" || return 1
  local login=()
  # The SCRAM listener answers only a logged-in client (any user may list the brokers).
  grep -q '^listeners=SASL_PLAINTEXT:' "$PROPS" 2>/dev/null && login=(-F "$KCAT_CONF")
  # Captured, not piped into grep -q: with pipefail an early-exiting grep could
  # fail the check through kcat's SIGPIPE.
  md="$(kcat "${login[@]}" -b "127.0.0.1:$KAFKA_PORT" -L -m 2 2>/dev/null)" || return 1
  [[ "$md" == *"broker $KAFKA_NODE_ID at 127.0.0.1:$KAFKA_PORT"* ]]
}

do_stop() {
  local pid
  if ! pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")"; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  log "stopping (pid $pid)"
  # A clean shutdown avoids log recovery on the next start; KRaft single node
  # normally needs a few seconds.
  stop_pid "$pid" 60
  rm -f "$PIDFILE"
  log "stopped"
}

do_start() {
  local pid t0
  if pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")"; then
    if is_true "${EDU_RESET:-}"; then
      log "EDU_RESET=1: restarting with empty data"
      do_stop
    else
      log "already running (pid $pid)"
      echo "kafka      127.0.0.1:$KAFKA_PORT (pid $pid, already running)"
      return 0
    fi
  fi

  ensure_cmd java default-jre-headless
  ensure_cmd kcat kcat  # the health check and the benchmarks use it
  ensure_libs
  require_ports_free "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"

  if is_true "${EDU_RESET:-}"; then
    log "EDU_RESET=1: wiping $DATA"
    rm -rf "$DATA"
  fi
  check_auth_mode
  [[ "$KAFKA_AUTH" == scram ]] && load_credentials
  write_configs
  format_storage

  t0="$(now_ms)"  # time the broker itself, not the one-off jar download/format
  local JAVA
  java_args
  spawn_detached "$PIDFILE" "$CONSOLE_LOG" "${JAVA[@]}" kafka.Kafka "$PROPS"
  pid="$(cat "$PIDFILE")"
  log "started pid $pid; waiting for 127.0.0.1:$KAFKA_PORT to answer metadata requests"
  wait_until "$KAFKA_START_TIMEOUT" "$pid" "$CONSOLE_LOG:$LOG" \
    "the broker to answer metadata on 127.0.0.1:$KAFKA_PORT" broker_healthy
  log "healthy after $(elapsed_s "$t0")s (rss $(($(ps -o rss= -p "$pid") / 1024)) MB)"
  if [[ "$KAFKA_AUTH" == scram ]]; then
    # Stopped again when this fails, or the next start would find it running and skip it.
    provision_scram || { do_stop; die "the broker was stopped: its users, topics or ACLs could not be set up"; }
    echo "kafka      127.0.0.1:$KAFKA_PORT (SASL_PLAINTEXT SCRAM, users in $CREDS; controller :$KAFKA_CONTROLLER_PORT, pid $pid)"
  else
    echo "kafka      127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT, pid $pid)"
  fi
}

do_status() {
  local pid
  if pid="$(pid_from_file "$PIDFILE" "$PID_MARKER")"; then
    if broker_healthy; then
      echo "kafka: running, healthy, 127.0.0.1:$KAFKA_PORT (pid $pid, rss $(($(ps -o rss= -p "$pid") / 1024)) MB)"
      return 0
    fi
    echo "kafka: process $pid running but 127.0.0.1:$KAFKA_PORT does not answer metadata"
    return 1
  fi
  echo "kafka: stopped"
  return 3
}

service_main "$@"
