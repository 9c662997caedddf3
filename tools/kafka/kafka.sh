#!/usr/bin/env bash
# A real Apache Kafka 3.9 broker (single-node KRaft, 127.0.0.1 only) for tests and local use.
# The broker jars come from Maven Central through Maven, cached once per machine.
#
#   kafka.sh install                              resolve the jars (idempotent)
#   kafka.sh start [--data-dir DIR] [--port N]    start (or reuse) a broker; prints 127.0.0.1:PORT
#   kafka.sh stop [--data-dir DIR]                stop it (SIGTERM, then SIGKILL after 30 s)
#   kafka.sh status [--data-dir DIR]              print the address if running, else exit 1
#
# --port 0 (the default unless KAFKA_PORT is set) picks a free port. Data, logs and the pid
# file live in the data directory, so brokers with different data directories can run side by side.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$script_dir/pom.xml")"
cache_dir="${KAFKA_HOME_CACHE:-$HOME/.cache/identity-platform/kafka-$kafka_version}"
libs_dir="$cache_dir/libs"

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

install_jars() {
  if [ -f "$cache_dir/.complete" ] && [ "$cache_dir/.complete" -nt "$script_dir/pom.xml" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to resolve the Kafka jars"
  log "resolving Apache Kafka $kafka_version from Maven Central into $libs_dir"
  rm -rf "$libs_dir" && mkdir -p "$libs_dir"
  mvn -q -B -Dstyle.color=never -f "$script_dir/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs_dir" >&2 || die "Maven could not resolve the Kafka jars"
  touch "$cache_dir/.complete"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
  local pid_file="$1/kafka.pid" pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

parse_args() {
  data_dir="$repo_root/.data/kafka"
  port="${KAFKA_PORT:-0}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --data-dir) data_dir="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  mkdir -p "$data_dir"
  data_dir="$(cd "$data_dir" && pwd)"
}

write_config() {
  local broker_port="$1" controller_port="$2"
  cat >"$data_dir/server.properties" <<PROPS
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
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  cat >"$data_dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$data_dir/kafka.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS
}

# The JVM replaces the calling (sub)shell, so a backgrounded call's $! is the JVM's pid.
exec_java() {
  exec java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$data_dir/log4j.properties" -cp "$libs_dir/*" "$@"
}

start() {
  parse_args "$@"
  command -v java >/dev/null || die "a Java runtime (17+) is needed to run Kafka"
  install_jars
  if pid="$(running_pid "$data_dir")"; then
    cat "$data_dir/address"
    return 0
  fi

  [ "$port" = 0 ] && port="$(free_port)"
  local controller_port
  controller_port="$(free_port)"
  while [ "$controller_port" = "$port" ]; do controller_port="$(free_port)"; done
  port_open "$port" && die "port $port on 127.0.0.1 is already in use"
  write_config "$port" "$controller_port"

  if [ ! -f "$data_dir/logs/meta.properties" ]; then
    [ -f "$data_dir/cluster-id" ] || (exec_java kafka.tools.StorageTool random-uuid >"$data_dir/cluster-id")
    (exec_java kafka.tools.StorageTool format -t "$(cat "$data_dir/cluster-id")" \
      -c "$data_dir/server.properties" --ignore-formatted >/dev/null)
  fi

  : >"$data_dir/kafka.log"
  # Backgrounded and disowned: the broker outlives this script until `stop`.
  exec_java kafka.Kafka "$data_dir/server.properties" >"$data_dir/stdout.log" 2>&1 </dev/null &
  echo $! >"$data_dir/kafka.pid"
  disown

  local deadline=$((SECONDS + 90))
  until port_open "$port" && grep -q "Kafka Server started" "$data_dir/kafka.log" "$data_dir/stdout.log" 2>/dev/null; do
    if ! running_pid "$data_dir" >/dev/null; then
      tail -n 30 "$data_dir/kafka.log" "$data_dir/stdout.log" >&2 2>/dev/null || true
      die "the broker exited during start-up"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$data_dir/kafka.log" >&2 || true
      stop_pid "$data_dir"
      die "the broker did not start within 90 s"
    fi
    sleep 0.3
  done
  echo "127.0.0.1:$port" | tee "$data_dir/address"
  log "broker $kafka_version ready on 127.0.0.1:$port (data: $data_dir)"
}

stop_pid() {
  local dir="$1" pid
  pid="$(running_pid "$dir")" || { rm -f "$dir/kafka.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.3
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/kafka.pid"
}

case "${1:-}" in
  install) install_jars ;;
  start) shift; start "$@" ;;
  stop) shift; parse_args "$@"; stop_pid "$data_dir" ;;
  status) shift; parse_args "$@"; running_pid "$data_dir" >/dev/null && cat "$data_dir/address" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
