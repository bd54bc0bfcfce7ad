#!/bin/sh
# Makes the TLS material of the secure example in DIR (default ./certs): a CA, a server
# certificate for localhost and 127.0.0.1, and a client certificate (CN users-client) for mutual
# TLS, all signed by the CA. EC P-256 keys; valid 30 days. Never commit the keys it writes.
#   sh scripts/make-certs.sh /tmp/users-certs
set -eu
dir=${1:-certs}
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
sign() { # name, subject, extensions
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf '%b' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm "$1.csr" "$1.ext"
}
key ca.key
openssl req -x509 -new -key ca.key -subj "/CN=users example CA" -days 30 -out ca.pem
sign server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
sign client "/CN=users-client" "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n"
chmod 600 ./*.key
