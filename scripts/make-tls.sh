#!/usr/bin/env bash
# Makes the TLS files for --tls: scripts/make-tls.sh [DIR]   (default DIR: ./tls)
#   DIR/master.p12           the master's private key and certificate (keep it on the master)
#   DIR/master.p12.password  its password, readable only by you (keep it next to master.p12)
#   DIR/workers.p12          the master's certificate alone: copy it to every worker
set -euo pipefail
case "${1:-}" in
  -h | --help)
    sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
    exit 0
    ;;
esac
dir="${1:-tls}"
if ! command -v keytool >/dev/null 2>&1; then
  echo "make-tls: 'keytool' (part of every JDK) is not on PATH; add your JDK's bin folder" >&2
  exit 2
fi
if [[ -e "$dir/master.p12" ]]; then
  echo "make-tls: $dir/master.p12 already exists; remove $dir first to make new files" >&2
  exit 2
fi
mkdir -p "$dir"
umask 077
password="$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')"
printf '%s\n' "$password" > "$dir/master.p12.password"
keytool -genkeypair -alias rmiq-master -keyalg EC -groupname secp256r1 -validity 3650 \
  -dname "CN=rmiq master" -keystore "$dir/master.p12" -storetype PKCS12 \
  -storepass "$password" -keypass "$password" >/dev/null 2>&1
keytool -exportcert -alias rmiq-master -keystore "$dir/master.p12" -storetype PKCS12 \
  -storepass "$password" -file "$dir/master.crt" >/dev/null 2>&1
# The workers' truststore holds only the public certificate; its password is not a secret.
keytool -importcert -noprompt -alias rmiq-master -file "$dir/master.crt" \
  -keystore "$dir/workers.p12" -storetype PKCS12 -storepass rmiq-public >/dev/null 2>&1
chmod 644 "$dir/workers.p12" "$dir/master.crt"
echo "make-tls: made $dir/master.p12 (with $dir/master.p12.password) for the master and"
echo "  $dir/workers.p12 for the workers. Start the master with: run-master.sh --tls ..."
echo "  Copy $dir/workers.p12 to each worker and start it with:"
echo "  run-worker.sh HOST:PORT --tls --tls-truststore workers.p12"
