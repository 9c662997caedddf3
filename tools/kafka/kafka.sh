#!/usr/bin/env bash
# A real Apache Kafka 3.9 broker (single-node KRaft, broker + controller in one JVM, 127.0.0.1
# only) for tests and local use. The jars come from Maven Central through Maven (pom.xml next to
# this script) and are cached once per machine. Needs bash, Java 17+ and, for the first install,
# Maven; no Node, Python or Docker.
#
#   kafka.sh install                              resolve the jars into the cache (idempotent)
#   kafka.sh start [--data-dir DIR] [--port N]    start (or reuse) a broker; prints 127.0.0.1:PORT
#   kafka.sh stop [--data-dir DIR]                stop it (SIGTERM, SIGKILL after 30 s); idempotent
#   kafka.sh status [--data-dir DIR]              print the address if running, else exit 1
#
# Only `start` and `status` write to stdout, and only the bootstrap address; logs go to stderr.
# See README.md for the environment variables.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
pom="$script_dir/pom.xml"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
cache_dir="${KAFKA_HOME_CACHE:-$HOME/.cache/identity-platform/kafka-$kafka_version}"
libs_dir="$cache_dir/libs"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
start_timeout="${KAFKA_START_TIMEOUT:-90}"
stop_timeout=30

log() { printf '[kafka] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  sed -n 's/^#   kafka\.sh/kafka.sh/p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------
# Locks: a directory created atomically with mkdir, holding the owner's pid so a lock left by a
# killed process is taken over. Released by the EXIT trap.

held_locks=()
launched_pid=""

acquire_lock() {
  local lock="$1" timeout="$2" owner deadline
  deadline=$((SECONDS + timeout))
  until mkdir "$lock" 2>/dev/null; do
    owner="$(cat "$lock/pid" 2>/dev/null || true)"
    if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
      rm -rf "$lock"
      continue
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "timed out waiting for $lock (held by pid ${owner:-?})"
    sleep 0.2
  done
  echo "$$" >"$lock/pid"
  held_locks+=("$lock")
}

release_lock() {
  rm -rf "$1"
  local kept=() l
  for l in ${held_locks[@]+"${held_locks[@]}"}; do [ "$l" = "$1" ] || kept+=("$l"); done
  held_locks=(${kept[@]+"${kept[@]}"})
}

on_exit() {
  local status=$? l
  # A start that failed or was interrupted must not leave a half-started broker behind.
  if [ "$status" -ne 0 ] && [ -n "$launched_pid" ] && kill -0 "$launched_pid" 2>/dev/null; then
    kill -KILL "$launched_pid" 2>/dev/null || true
    rm -f "$data_dir/kafka.pid"
  fi
  for l in ${held_locks[@]+"${held_locks[@]}"}; do rm -rf "$l"; done
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# install

pom_checksum() { cksum <"$pom" | tr -s ' ' '-'; }

jars_installed() { [ "$(cat "$cache_dir/.complete" 2>/dev/null || true)" = "$(pom_checksum)" ]; }

install_jars() {
  jars_installed && return 0
  mkdir -p "$cache_dir"
  acquire_lock "$cache_dir/.install.lock" 900
  if jars_installed; then # another process finished the install while we waited
    release_lock "$cache_dir/.install.lock"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed once to resolve the Kafka jars from Maven Central"
  log "resolving Apache Kafka $kafka_version and its runtime dependencies from Maven Central into $libs_dir"
  local tmp="$cache_dir/libs.tmp.$$"
  rm -rf "$tmp"
  # (sed drops the bare colour resets Maven 3.8 prints even with -q -B; pipefail keeps mvn's status.)
  if ! mvn -q -B -ntp -Dstyle.color=never -f "$pom" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 | sed -e $'s/\e\\[0m//g' -e '/^$/d' >&2; then
    rm -rf "$tmp"
    die "Maven could not resolve the Kafka jars (see above)"
  fi
  [ -f "$tmp/kafka_2.13-$kafka_version.jar" ] || die "Maven finished but $tmp/kafka_2.13-$kafka_version.jar is missing"
  rm -rf "$libs_dir" "$cache_dir/.complete"
  mv "$tmp" "$libs_dir"
  pom_checksum >"$cache_dir/.complete"
  log "installed $(find "$libs_dir" -name '*.jar' | wc -l | tr -d ' ') jars"
  release_lock "$cache_dir/.install.lock"
}

# ---------------------------------------------------------------------------------------------
# ports and processes

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nobody listens on, below the Linux (32768+) and BSD/macOS (49152+) ephemeral ranges so
# outgoing connections cannot take it between the check and the broker's bind. A collision with
# another starting broker is caught afterwards (bind failure => retry with new ports).
random_free_port() {
  local port tries=0
  while [ "$tries" -lt 200 ]; do
    tries=$((tries + 1))
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    case " $* " in *" $port "*) continue ;; esac
    port_open "$port" || {
      echo "$port"
      return 0
    }
  done
  die "found no free port on 127.0.0.1"
}

# The pid in DIR/kafka.pid, when that process is alive and is the broker of DIR.
running_pid() {
  local dir="$1" pid args
  pid="$(cat "$dir/kafka.pid" 2>/dev/null || true)"
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    args="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  elif command -v ps >/dev/null 2>&1; then
    args="$(ps -p "$pid" -o args= 2>/dev/null || true)"
  else
    args="$dir/server.properties" # cannot check; trust the pid
  fi
  case "$args" in *"$dir/server.properties"*) echo "$pid" ;; *) return 1 ;; esac
}

# ---------------------------------------------------------------------------------------------
# options

data_dir=""
port=""
port_given=false

parse_args() {
  data_dir="$repo_root/.data/kafka"
  if [ -n "${KAFKA_PORT:-}" ]; then
    port="$KAFKA_PORT"
    port_given=true
  fi
  while [ $# -gt 0 ]; do
    case "$1" in
      --data-dir)
        [ $# -ge 2 ] || die "--data-dir needs a value"
        data_dir="$2"
        shift 2
        ;;
      --data-dir=*)
        data_dir="${1#*=}"
        shift
        ;;
      --port)
        [ $# -ge 2 ] || die "--port needs a value"
        port="$2"
        port_given=true
        shift 2
        ;;
      --port=*)
        port="${1#*=}"
        port_given=true
        shift
        ;;
      -h | --help) usage ;;
      *) die "unknown option: $1" ;;
    esac
  done
  case "$port" in
    '') ;;
    *[!0-9]*) die "--port must be a number, got '$port'" ;;
    *) [ "$port" -le 65535 ] || die "--port must be at most 65535, got $port" ;;
  esac
  mkdir -p "$data_dir"
  data_dir="$(cd "$data_dir" && pwd)"
}

# ---------------------------------------------------------------------------------------------
# start

write_config() {
  local broker_port="$1" controller_port="$2"
  cat >"$data_dir/server.properties" <<PROPS
# Written by tools/kafka/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$broker_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$broker_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data_dir/logs
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  # Console output is redirected to kafka.log: warnings and errors, plus the start/stop lines.
  cat >"$data_dir/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.Kafka$=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
log4j.logger.kafka.server.ControllerServer=INFO
PROPS
}

java_opts() {
  local heap extra
  read -r -a heap <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
  read -r -a extra <<<"${KAFKA_OPTS:-}"
  jvm=("$java_bin" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Dlog4j.configuration="file:$data_dir/log4j.properties"
    ${extra[@]+"${extra[@]}"} -cp "$libs_dir/*")
}

# The previous run's ports, from server.properties, so a restart keeps its address when it can.
previous_port() {
  [ -f "$data_dir/server.properties" ] || return 0
  sed -n "s/^listeners=.*$1:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p" "$data_dir/server.properties"
}

format_storage() {
  [ -f "$data_dir/logs/meta.properties" ] && return 0
  local cluster_id
  if [ ! -s "$data_dir/cluster-id" ]; then
    # A Kafka Uuid: 16 random bytes in URL-safe base64 without padding (22 characters), not
    # starting with '-' (what `StorageTool random-uuid` prints, without starting a JVM for it).
    cluster_id="-"
    while [ "${cluster_id:0:1}" = "-" ]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$cluster_id" >"$data_dir/cluster-id"
  fi
  cluster_id="$(cat "$data_dir/cluster-id")"
  log "formatting $data_dir/logs (cluster id $cluster_id)"
  local jvm
  java_opts
  if ! "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$data_dir/server.properties" \
    --ignore-formatted >>"$data_dir/kafka.log" 2>&1 </dev/null; then
    tail -n 30 "$data_dir/kafka.log" >&2 || true
    die "formatting the storage failed"
  fi
}

# Launches the broker in its own session; returns 0 when it is ready, 1 when it could not bind its
# ports (so the caller can retry with others), and dies on any other failure.
launch() {
  local broker_port="$1" controller_port="$2" log_file="$data_dir/kafka.log" offset jvm deadline
  write_config "$broker_port" "$controller_port"
  format_storage
  offset=$(($(wc -c <"$log_file") + 1))
  rm -f "$data_dir/kafka.pid"
  java_opts
  # bash -c writes its own pid, then exec keeps that pid for the JVM (whether or not setsid forks).
  # shellcheck disable=SC2016 # expanded by the inner bash
  local -a cmd=(bash -c 'echo "$$" >"$0" && exec "$@"' "$data_dir/kafka.pid" "${jvm[@]}" kafka.Kafka "$data_dir/server.properties")
  if command -v setsid >/dev/null 2>&1; then
    setsid "${cmd[@]}" </dev/null >>"$log_file" 2>&1 &
  else
    nohup "${cmd[@]}" </dev/null >>"$log_file" 2>&1 &
  fi
  deadline=$((SECONDS + 5))
  until [ -s "$data_dir/kafka.pid" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "the broker process did not start"
    sleep 0.05
  done
  launched_pid="$(cat "$data_dir/kafka.pid")"

  deadline=$((SECONDS + start_timeout))
  # (grep reads from a process substitution: with pipefail, `tail | grep -q` can fail on SIGPIPE.)
  until port_open "$broker_port" && grep -q "Kafka Server started" < <(tail -c "+$offset" "$log_file"); do
    if ! kill -0 "$launched_pid" 2>/dev/null; then
      rm -f "$data_dir/kafka.pid"
      launched_pid=""
      if grep -q "Address already in use" < <(tail -c "+$offset" "$log_file"); then return 1; fi
      tail -c "+$offset" "$log_file" | tail -n 40 >&2
      die "the broker exited during start-up (log: $log_file)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -c "+$offset" "$log_file" | tail -n 40 >&2
      die "the broker did not start within $start_timeout s (log: $log_file)"
    fi
    sleep 0.2
  done
  launched_pid=""
}

start() {
  parse_args "$@"
  command -v "$java_bin" >/dev/null 2>&1 || die "a Java runtime (17+) is needed to run Kafka (java not found)"
  install_jars
  acquire_lock "$data_dir/.start.lock" $((start_timeout + 60))

  local pid
  if pid="$(running_pid "$data_dir")"; then
    if [ -s "$data_dir/address" ]; then
      if [ -n "$port" ] && [ "$port" != 0 ] && [ "$(cat "$data_dir/address")" != "127.0.0.1:$port" ]; then
        log "warning: already running on $(cat "$data_dir/address"), not on port $port"
      fi
      cat "$data_dir/address"
      return 0
    fi
    log "pid $pid has no address (an interrupted start?); restarting it"
    stop_broker
  fi
  rm -f "$data_dir/address"

  # Keep one previous log for post-mortems.
  [ -f "$data_dir/kafka.log" ] && mv -f "$data_dir/kafka.log" "$data_dir/kafka.log.1"
  : >"$data_dir/kafka.log"

  local started=$SECONDS broker_port controller_port attempt prev
  for attempt in 1 2 3 4 5; do
    if [ "$port_given" = true ] && [ "$port" != 0 ]; then
      broker_port="$port"
      port_open "$broker_port" && die "port $broker_port on 127.0.0.1 is already in use"
    else
      prev="$(previous_port PLAINTEXT)"
      if [ "$port_given" = false ] && [ "$attempt" = 1 ] && [ -n "$prev" ] && ! port_open "$prev"; then
        broker_port="$prev"
      else
        broker_port="$(random_free_port)"
      fi
    fi
    prev="$(previous_port CONTROLLER)"
    if [ "$attempt" = 1 ] && [ -n "$prev" ] && [ "$prev" != "$broker_port" ] && ! port_open "$prev"; then
      controller_port="$prev"
    else
      controller_port="$(random_free_port "$broker_port")"
    fi
    if launch "$broker_port" "$controller_port"; then
      echo "127.0.0.1:$broker_port" >"$data_dir/address"
      log "Apache Kafka $kafka_version ready on 127.0.0.1:$broker_port in $((SECONDS - started)) s (data: $data_dir, pid $(cat "$data_dir/kafka.pid"))"
      cat "$data_dir/address"
      return 0
    fi
    if [ "$port_given" = true ] && [ "$port" != 0 ]; then
      tail -n 20 "$data_dir/kafka.log" >&2
      die "could not bind 127.0.0.1:$broker_port or the controller port $controller_port"
    fi
    log "ports $broker_port/$controller_port were taken meanwhile; retrying with others"
  done
  die "could not find free ports for the broker"
}

# ---------------------------------------------------------------------------------------------
# stop / status

stop_broker() {
  local pid deadline
  if ! pid="$(running_pid "$data_dir")"; then
    rm -f "$data_dir/kafka.pid"
    return 0
  fi
  log "stopping the broker (pid $pid, data: $data_dir)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + stop_timeout))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after $stop_timeout s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  fi
  rm -f "$data_dir/kafka.pid"
}

status() {
  parse_args "$@"
  if running_pid "$data_dir" >/dev/null && [ -s "$data_dir/address" ]; then
    cat "$data_dir/address"
    return 0
  fi
  log "not running (data: $data_dir)"
  return 1
}

case "${1:-}" in
  install)
    shift
    [ $# -eq 0 ] || die "install takes no options"
    install_jars
    ;;
  start)
    shift
    start "$@"
    ;;
  stop)
    shift
    parse_args "$@"
    stop_broker
    ;;
  status)
    shift
    status "$@"
    ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
