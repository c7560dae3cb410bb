#!/usr/bin/env bash
# A standalone ActiveMQ Artemis broker for hubs in the postgres profile (HUB_ARTEMIS_MODE=native), from Artemis's own
# distribution on Maven Central, the version of the hub's Artemis client. Not embedded in any hub: hubs connect to it,
# and it outlives them (and they it: a hub pauses while it is gone and resumes when it is back).
#
#   broker/artemis.sh create DIR [PORT]   an instance in DIR listening on 127.0.0.1:PORT (61616),
#                                         login required (HUB_ARTEMIS_USER / HUB_ARTEMIS_PASSWORD, default hub / hub),
#                                         address settings as the embedded broker's (messaging.BrokerSettings)
#   broker/artemis.sh run DIR             runs the instance in the foreground (SIGTERM stops it; kill -9 is a crash)
#
# Hubs then run with HUB_ARTEMIS_MODE=native HUB_ARTEMIS_URL=tcp://127.0.0.1:PORT and the same user and password.
set -euo pipefail

VERSION=2.40.0   # the artemis-jakarta-client version Spring Boot manages (StandaloneBrokerIT checks they agree)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST_DIR="$ROOT/target/artemis"
HOME_DIR="$DIST_DIR/apache-artemis-$VERSION"
USER_NAME="${HUB_ARTEMIS_USER:-hub}"
PASSWORD="${HUB_ARTEMIS_PASSWORD:-hub}"
# the queues the hub names (application.properties hub.queue.*); others (the events topic) are created on first use
DEAD_LETTER=sync-deadletter
# queues of long jobs (scheduled and manual sync runs, resolution runs): a consumer is handed one message at a time, so
# one busy with a run holds no others in its buffer (messaging.BrokerSettings, LongJobQueuesTest)
LONG_JOB_QUEUES="sync-inbound-scheduled resolution-runs"

distribution() {
  [ -x "$HOME_DIR/bin/artemis" ] && return
  mkdir -p "$DIST_DIR"
  local zip="$HOME/.m2/repository/org/apache/activemq/apache-artemis/$VERSION/apache-artemis-$VERSION-bin.zip"
  if [ ! -f "$zip" ]; then
    mvn -q -B dependency:get -Dartifact="org.apache.activemq:apache-artemis:$VERSION:zip:bin" >&2
  fi
  unzip -q -o "$zip" -d "$DIST_DIR"
}

create() {
  local dir="$1" port="${2:-61616}"
  distribution
  "$HOME_DIR/bin/artemis" create "$dir" --silent --force --user "$USER_NAME" --password "$PASSWORD" --require-login \
    --host 127.0.0.1 --default-port "$port" --no-web --no-autotune --no-amqp-acceptor --no-mqtt-acceptor \
    --no-stomp-acceptor --no-hornetq-acceptor --java-memory 512M --queues "$DEAD_LETTER" >/dev/null
  # the embedded broker's address settings: a message that keeps failing is redelivered 1 s, 2 s, 4 s ... apart
  # (at most a minute) and parked on the dead-letter queue after ten deliveries, never dropped
  sed -i \
    -e "s|<dead-letter-address>DLQ</dead-letter-address>|<dead-letter-address>$DEAD_LETTER</dead-letter-address>|" \
    -e "s|<redelivery-delay>0</redelivery-delay>|<redelivery-delay>1000</redelivery-delay><redelivery-delay-multiplier>2</redelivery-delay-multiplier><max-redelivery-delay>60000</max-redelivery-delay><max-delivery-attempts>10</max-delivery-attempts>|" \
    "$dir/etc/broker.xml"
  local settings="" queue
  for queue in $LONG_JOB_QUEUES; do
    settings="$settings<address-setting match=\"$queue\"><default-consumer-window-size>0</default-consumer-window-size></address-setting>"
  done
  sed -i -e "s|</address-settings>|$settings</address-settings>|" "$dir/etc/broker.xml"
  grep -q "<dead-letter-address>$DEAD_LETTER</dead-letter-address>" "$dir/etc/broker.xml" || {
    echo "broker.xml of Artemis $VERSION has no default address setting to adapt" >&2; exit 1; }
  grep -q '<address-setting match="resolution-runs">' "$dir/etc/broker.xml" || {
    echo "broker.xml of Artemis $VERSION has no address-settings element to add to" >&2; exit 1; }
  echo "created $dir: tcp://127.0.0.1:$port (user $USER_NAME)"
}

case "${1:-}" in
  create) shift; create "$@" ;;
  run) exec "$2/bin/artemis" run ;;
  *) echo "usage: $0 create DIR [PORT] | run DIR" >&2; exit 2 ;;
esac
