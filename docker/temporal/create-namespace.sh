#!/bin/sh
# One-shot (temporalio/admin-tools): registers our namespace and the search attributes the workflow
# sets (AA_SEARCH_ATTRIBUTES, from src/temporal/search-attributes.ts). Safe to rerun.
set -eu
address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-7d}"
: "${AA_SEARCH_ATTRIBUTES:?}"

# A new namespace takes a few seconds to reach every frontend cache, so each call is retried.
retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge 30 ]; then
      echo "gave up after $attempt attempts: $*" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

retry temporal operator cluster health --address "$address"
if temporal operator namespace describe --namespace "$namespace" --address "$address" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  retry temporal operator namespace create --namespace "$namespace" --retention "$retention" --address "$address"
fi

for attribute in $(echo "$AA_SEARCH_ATTRIBUTES" | tr ',' ' '); do
  name="${attribute%%=*}"
  type="${attribute#*=}"
  if retry temporal operator search-attribute list --namespace "$namespace" --address "$address" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    retry temporal operator search-attribute create --namespace "$namespace" --address "$address" --name "$name" --type "$type"
  fi
done
